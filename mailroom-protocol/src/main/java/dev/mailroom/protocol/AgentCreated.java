package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The answer to {@code POST /v1/agents} and {@code POST /v1/agents/{id}/token}. The token is shown
 * this once; the server keeps only its hash.
 *
 * @param id the agent's id
 * @param roles its roles
 * @param token its bearer token
 * @param tokenExpiresAt when the token stops authenticating; absent for never
 */
public record AgentCreated(
    String id, List<String> roles, String token, Optional<Instant> tokenExpiresAt) {
  public AgentCreated {
    roles = List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "AgentCreated[id=" + id + ", roles=" + roles + ", token=<redacted>]";
  }
}
