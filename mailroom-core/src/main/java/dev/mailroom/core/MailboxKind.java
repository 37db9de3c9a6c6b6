package dev.mailroom.core;

import java.util.Locale;

/** What a mailbox is; fixed when the mailbox is created. */
public enum MailboxKind {
  /** An agent's personal mailbox, named by the agent's id. Only its agent reads it. */
  AGENT,
  /** A named mailbox created on first send. Every agent may read it. */
  SHARED,
  /** A topic's history. Every agent may read it. */
  TOPIC;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
