package dev.mailroom.core.delivery;

/** How a subscription's messages reach its agent. */
public enum DeliveryMode {
  /** Pushed over the agent's open stream as soon as they are stored. */
  REALTIME,
  /** Pushed over the stream in groups, when a batch is full or its oldest message is old enough. */
  BATCH,
  /** Kept in the agent's inbox for it to fetch; never pushed. */
  POLLING;

  /** Whether messages of this mode are pushed over the stream (and so acknowledged). */
  public boolean pushes() {
    return this != POLLING;
  }
}
