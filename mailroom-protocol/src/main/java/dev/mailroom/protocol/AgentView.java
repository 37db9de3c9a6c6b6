package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A registered agent (never its token).
 *
 * @param tokenExpiresAt when its token stops authenticating; absent for never
 */
public record AgentView(
    String id, List<String> roles, Instant createdAt, Optional<Instant> tokenExpiresAt) {
  public AgentView {
    roles = List.copyOf(roles);
  }
}
