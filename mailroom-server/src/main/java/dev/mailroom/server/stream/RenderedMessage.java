package dev.mailroom.server.stream;

import dev.mailroom.core.Message;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A message with its JSON rendering computed at most about once however many streams push it: a
 * fan-out to a thousand subscribers serializes the message once, not a thousand times. Thread-safe
 * (two threads racing may both render; either result is kept).
 */
final class RenderedMessage {
  private final Message message;
  private final Function<Message, String> renderer;
  private volatile @Nullable String json;

  RenderedMessage(Message message, Function<Message, String> renderer) {
    this.message = message;
    this.renderer = renderer;
  }

  Message message() {
    return message;
  }

  String json() {
    String j = json;
    if (j == null) {
      j = renderer.apply(message);
      json = j;
    }
    return j;
  }
}
