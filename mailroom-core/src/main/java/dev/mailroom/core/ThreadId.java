package dev.mailroom.core;

import java.util.Optional;
import java.util.regex.Pattern;

/** A conversation thread: 1–128 characters of {@code A-Z a-z 0-9 _ - . :}. */
public record ThreadId(String value) {
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  public ThreadId {
    if (!RULE.matcher(value).matches()) {
      throw Names.invalid(
          "thread_id", value, "is not a valid thread id (1-128 characters of A-Z a-z 0-9 _ - . :)");
    }
  }

  public static ThreadId of(String value) {
    return new ThreadId(value);
  }

  /**
   * The message whose id this thread is named after, if the name is a message id. A reply sent
   * without a thread to a message that has none starts a thread named after that message
   * (MessageService), so that message is the thread's first, though it names no thread itself.
   */
  public Optional<MessageId> root() {
    return MessageId.tryParse(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
