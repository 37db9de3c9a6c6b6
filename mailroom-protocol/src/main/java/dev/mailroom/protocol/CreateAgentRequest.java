package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/agents}.
 *
 * @param id the new agent's id (1-64 characters of {@code A-Z a-z 0-9 _ -})
 * @param roles its roles; {@code ["agent"]} when absent
 * @param tokenTtlSeconds its token's lifetime; the server's default when absent
 */
public record CreateAgentRequest(
    String id, Optional<List<String>> roles, Optional<Long> tokenTtlSeconds) {
  public CreateAgentRequest {
    roles = roles == null ? Optional.empty() : roles.map(List::copyOf);
    tokenTtlSeconds = tokenTtlSeconds == null ? Optional.empty() : tokenTtlSeconds;
  }
}
