package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param messages the messages, in the requested order
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record MessagePage(
    List<MessageView> messages,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {

  public MessagePage {
    messages = List.copyOf(messages);
    nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
  }
}
