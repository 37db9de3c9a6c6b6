package dev.mailroom.protocol;

import java.time.Instant;
import java.util.List;

/**
 * Who read a message ({@code GET /v1/messages/{id}/readers}), ordered by read time.
 *
 * @param readers one entry per reader
 */
public record ReaderList(List<Reader> readers) {
  public ReaderList {
    readers = List.copyOf(readers);
  }

  /**
   * One reader.
   *
   * @param agentId the reader
   * @param readAt when it first marked the message read
   */
  public record Reader(String agentId, Instant readAt) {}
}
