package dev.mailroom.protocol;

/**
 * The answer to {@code POST /v1/enrollments}: the enrollment and its secret, shown this once (the
 * server keeps only its hash). An agent registers itself with {@code POST /v1/agents/enroll},
 * sending the secret as its bearer token.
 */
public record EnrollmentCreated(EnrollmentView enrollment, String token) {
  @Override
  public String toString() {
    return "EnrollmentCreated[enrollment=" + enrollment + ", token=<redacted>]";
  }
}
