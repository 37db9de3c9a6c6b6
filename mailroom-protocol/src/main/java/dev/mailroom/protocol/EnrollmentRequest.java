package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/enrollments}.
 *
 * @param roles the roles of the agents registered with it; {@code ["agent"]} when absent
 * @param uses how many agents may register with it (1-10000)
 * @param ttlSeconds how long it may be used
 * @param idPrefix what every registered agent's id must start with, if anything
 */
public record EnrollmentRequest(
    Optional<List<String>> roles, int uses, long ttlSeconds, Optional<String> idPrefix) {
  public EnrollmentRequest {
    roles = roles == null ? Optional.empty() : roles.map(List::copyOf);
    idPrefix = idPrefix == null ? Optional.empty() : idPrefix;
  }
}
