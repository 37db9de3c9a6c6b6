package dev.mailroom.core.alert;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an alert rule watches. Each signal is read on every evaluation; those {@linkplain
 * #perSubject per subject} give one value per agent and way in (its inbox or a subscription), the
 * others one value for the whole store or node.
 */
public enum Signal {
  /** Dead letters held, across every agent. */
  DEAD_LETTERS("dead_letters", Direction.ABOVE, false),
  /** Pending deliveries of one agent through one way in. */
  BACKLOG_PENDING("backlog_pending", Direction.ABOVE, true),
  /** How long, in seconds, the oldest pending delivery of one agent and way in has waited. */
  BACKLOG_OLDEST_SECONDS("backlog_oldest_seconds", Direction.ABOVE, true),
  /** Sends held in this node's spool while Redis cannot take them (0 without a spool). */
  SPOOL_DEPTH("spool_depth", Direction.ABOVE, false),
  /** The share, 0 to 1, of this node's requests in the last minute answered with a 5xx. */
  ERROR_RATE("error_rate", Direction.ABOVE, false),
  /** Free bytes on the disk of this node's data directory. */
  DISK_FREE_BYTES("disk_free_bytes", Direction.BELOW, false);

  /** Which side of its threshold a signal is bad on. */
  public enum Direction {
    /** Fires at or above the threshold. */
    ABOVE,
    /** Fires at or below the threshold. */
    BELOW
  }

  private final String wireName;
  private final Direction direction;
  private final boolean perSubject;

  Signal(String wireName, Direction direction, boolean perSubject) {
    this.wireName = wireName;
    this.direction = direction;
    this.perSubject = perSubject;
  }

  /** The name in configuration, the API and alert messages, such as {@code dead_letters}. */
  public String wireName() {
    return wireName;
  }

  public Direction direction() {
    return direction;
  }

  /** Whether the signal has one value per agent and way in, each alerting on its own. */
  public boolean perSubject() {
    return perSubject;
  }

  /** The signal of a wire name, if there is one. */
  public static Optional<Signal> parse(String wireName) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
  }

  /** Every wire name, for messages that list them. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(Signal::wireName).toList());
  }
}
