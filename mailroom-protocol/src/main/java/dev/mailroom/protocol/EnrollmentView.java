package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An enrollment as admins list it ({@code GET /v1/enrollments}), never its secret.
 *
 * @param id how it is named when revoked ({@code DELETE /v1/enrollments/{id}})
 * @param roles the roles of every agent registered with it
 * @param uses how many registrations it allowed when issued
 * @param remaining how many it still allows
 * @param idPrefix what the id of every agent registered with it starts with, if anything
 * @param issuer the admin who issued it
 */
public record EnrollmentView(
    String id,
    List<String> roles,
    int uses,
    int remaining,
    Instant createdAt,
    Instant expiresAt,
    Optional<String> idPrefix,
    String issuer) {
  public EnrollmentView {
    roles = roles == null ? List.of() : List.copyOf(roles);
    idPrefix = idPrefix == null ? Optional.empty() : idPrefix;
  }
}
