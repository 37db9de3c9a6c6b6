package dev.mailroom.protocol;

import java.util.List;

/**
 * The body of {@code POST /v1/reservations/check}: which of these concrete paths of a project do
 * other agents hold exclusively? (What a pre-commit hook asks about the staged files.)
 *
 * @param paths file paths relative to the project's root, taken literally
 */
public record ReservationCheckRequest(String project, List<String> paths) {
  public ReservationCheckRequest {
    paths = List.copyOf(paths);
  }
}
