package dev.mailroom.core.access;

import dev.mailroom.core.MailroomException;
import java.util.Locale;

/** What a permission allows on a mailbox or topic. */
public enum Action {
  /** Read its messages, by id, in its history, or from one's inbox once routed there. */
  READ,
  /** Send to it (and create it by sending). */
  WRITE,
  /** Subscribe to it, or to patterns that reach it; a subscription still delivers only readable. */
  SUBSCRIBE,
  /** Configure or delete it. */
  ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws MailroomException.InvalidRequest on {@code field} if it is none
   */
  public static Action parse(String field, String text) {
    for (Action a : values()) {
      if (a.wireName().equals(text)) {
        return a;
      }
    }
    throw MailroomException.InvalidRequest.field(
        field, "must be one of read, write, subscribe, admin");
  }
}
