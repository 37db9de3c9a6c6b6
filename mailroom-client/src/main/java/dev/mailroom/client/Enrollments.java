package dev.mailroom.client;

import dev.mailroom.protocol.EnrollmentCreated;
import dev.mailroom.protocol.EnrollmentList;
import dev.mailroom.protocol.EnrollmentRequest;

/**
 * Enrollments ({@code /v1/enrollments}, admins only): secrets with which agents register themselves
 * ({@link Agents#enroll}), each a limited number of times until it expires. A secret appears only
 * in the answer that issues it. Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class Enrollments {
  private final Rest rest;

  Enrollments(Rest rest) {
    this.rest = rest;
  }

  /** Issues an enrollment; the answer holds its secret, shown this once. */
  public EnrollmentCreated create(EnrollmentRequest request) {
    return rest.post("v1", "enrollments").body(request).fetch(EnrollmentCreated.class);
  }

  /** Every enrollment not revoked, used up and expired ones too; never their secrets. */
  public EnrollmentList list() {
    return rest.get("v1", "enrollments").fetch(EnrollmentList.class);
  }

  /** Revokes an enrollment: its secret registers nobody from now on. */
  public void revoke(String id) {
    rest.delete("v1", "enrollments", id).send();
  }
}
