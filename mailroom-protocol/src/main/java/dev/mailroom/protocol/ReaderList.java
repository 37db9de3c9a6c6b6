package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A page of who read a message ({@code GET /v1/messages/{id}/readers}), ordered by read time, then
 * by reader.
 *
 * @param readers one entry per reader
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page (and
 *     absent from servers that answered every reader at once)
 */
public record ReaderList(
    List<Reader> readers, @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public ReaderList {
    readers = List.copyOf(readers);
  }

  /** A whole list: one page with nothing after it. */
  public ReaderList(List<Reader> readers) {
    this(readers, Optional.empty());
  }

  /**
   * One reader.
   *
   * @param agentId the reader
   * @param readAt when it first marked the message read
   */
  public record Reader(String agentId, Instant readAt) {}
}
