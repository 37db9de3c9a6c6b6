package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param messages the messages, in the requested order
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 * @param skipped messages of this page that the client could not decode and left out of {@code
 *     messages}; filled in by the client (see {@link SkippedMessage}), never sent by a server, and
 *     left out of the JSON when empty
 */
public record MessagePage(
    List<MessageView> messages,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SkippedMessage> skipped) {

  public MessagePage {
    messages = List.copyOf(messages);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  /** A page as a server sends it: nothing skipped. */
  public MessagePage(List<MessageView> messages, Optional<String> nextCursor) {
    this(messages, nextCursor, List.of());
  }
}
