package dev.mailroom.protocol;

import java.util.List;

/**
 * The answer to {@code POST /v1/agents}. The token is shown this once; the server keeps only its
 * hash.
 *
 * @param id the agent's id
 * @param roles its roles
 * @param token its bearer token
 */
public record AgentCreated(String id, List<String> roles, String token) {
  public AgentCreated {
    roles = List.copyOf(roles);
  }

  @Override
  public String toString() {
    return "AgentCreated[id=" + id + ", roles=" + roles + ", token=<redacted>]";
  }
}
