package dev.mailroom.core;

import java.util.List;

/**
 * A mailbox or topic name: 1–256 characters; 1–16 segments of {@code A-Z a-z 0-9 _ -} joined by
 * {@code .}. A single-segment name of at most 64 characters may be an agent's personal mailbox.
 */
public record MailboxName(String value) implements Comparable<MailboxName> {
  public MailboxName {
    String rule =
        "is not a valid name (1-256 characters, 1-16 segments of A-Z a-z 0-9 _ - joined by '.')";
    if (value.isEmpty() || value.length() > Names.MAX_NAME) {
      throw Names.invalid("name", value, rule);
    }
    int segments = 0;
    int start = 0;
    while (true) {
      int dot = value.indexOf('.', start);
      int end = dot < 0 ? value.length() : dot;
      if (end == start || !Names.SEGMENT.matcher(value).region(start, end).matches()) {
        throw Names.invalid("name", value, rule);
      }
      if (++segments > Names.MAX_SEGMENTS) {
        throw Names.invalid("name", value, rule);
      }
      if (dot < 0) {
        break;
      }
      start = dot + 1;
    }
  }

  public static MailboxName of(String value) {
    return new MailboxName(value);
  }

  /** The dot-separated segments, in order. */
  public List<String> segments() {
    return List.of(value.split("\\."));
  }

  /** The prefix of the names only admins may write to. */
  public static final String RESERVED_PREFIX = "mailroom.";

  /** Whether this name could also be an agent id (one segment of at most 64 characters). */
  public boolean isAgentShaped() {
    return value.length() <= Names.MAX_AGENT_ID && value.indexOf('.') < 0;
  }

  /**
   * Whether this name is under {@code mailroom.}: the server's own topics, such as its alerts
   * ({@code mailroom.alerts.<rule>}), to which only admins may write.
   */
  public boolean isReserved() {
    return value.startsWith(RESERVED_PREFIX);
  }

  @Override
  public int compareTo(MailboxName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
