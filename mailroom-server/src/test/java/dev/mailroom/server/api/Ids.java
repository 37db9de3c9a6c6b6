package dev.mailroom.server.api;

import dev.mailroom.core.MessageId;

/** Neighbouring message ids, for turning the exclusive id filters into inclusive ones. */
final class Ids {
  private Ids() {}

  /** The id just below {@code id} in id order. */
  static String predecessor(String id) {
    return MessageId.of(MessageId.parse(id).value() - 1).toString();
  }

  /** The id just above {@code id} in id order. */
  static String successor(String id) {
    return MessageId.of(MessageId.parse(id).value() + 1).toString();
  }
}
