package dev.mailroom.core;

import java.util.Locale;

/** How a message is addressed. */
public enum SendMode {
  /** To one agent's mailbox or one named (shared) mailbox. */
  DIRECT,
  /** To a topic: kept in the topic's history and delivered to its subscribers. */
  TOPIC,
  /** To every agent's personal mailbox except the sender's. */
  BROADCAST;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws MailroomException.InvalidRequest if it names no mode
   */
  public static SendMode parse(String text) {
    for (SendMode m : values()) {
      if (m.wireName().equals(text)) {
        return m;
      }
    }
    throw MailroomException.InvalidRequest.field(
        "mode", "'" + Names.abbreviate(text) + "' is not one of direct, topic, broadcast");
  }
}
