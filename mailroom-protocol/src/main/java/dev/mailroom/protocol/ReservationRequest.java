package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/reservations}.
 *
 * @param project the project the paths belong to (a repository's name, say)
 * @param paths path globs or plain names, relative to the project: {@code *} and {@code ?} within a
 *     segment, {@code **} for any number of segments
 * @param exclusive whether nobody else may hold an overlapping path; {@code true} when absent
 * @param ttlSeconds how long it lasts unless renewed; one hour when absent
 * @param reason why, for the agents it blocks
 */
public record ReservationRequest(
    String project,
    List<String> paths,
    Optional<Boolean> exclusive,
    Optional<Long> ttlSeconds,
    Optional<String> reason) {
  public ReservationRequest {
    paths = List.copyOf(paths);
  }
}
