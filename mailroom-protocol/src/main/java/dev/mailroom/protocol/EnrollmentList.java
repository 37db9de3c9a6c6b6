package dev.mailroom.protocol;

import java.util.List;

/** Every enrollment not revoked, by id ({@code GET /v1/enrollments}). */
public record EnrollmentList(List<EnrollmentView> enrollments) {
  public EnrollmentList {
    enrollments = List.copyOf(enrollments);
  }
}
