package dev.mailroom.testkit.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code CLUSTER SLOTS}: a range of hash slots and the port of the master serving it.
 * Read from the server rather than remembered, because failovers move slots to other nodes.
 *
 * @param first the first slot of the range
 * @param last the last slot of the range, inclusive
 * @param masterPort the port of the master serving the range
 */
record SlotRange(int first, int last, int masterPort) {
  /** All hash slots of a cluster: 0 to 16383. */
  static final int SLOTS = 16384;

  boolean contains(int slot) {
    return first <= slot && slot <= last;
  }

  /** The slot ranges as the node on {@code port} sees them, in slot order. */
  static List<SlotRange> of(int port) {
    Object reply = Resp.once(port, "CLUSTER", "SLOTS");
    if (!(reply instanceof List<?> entries)) {
      throw new IllegalStateException("CLUSTER SLOTS on port " + port + " answered " + reply);
    }
    List<SlotRange> ranges = new ArrayList<>();
    for (Object entry : entries) {
      // [first, last, [ip, port, id, ...] of the master, [ip, port, id, ...] of each replica...]
      List<?> fields = (List<?>) entry;
      List<?> master = (List<?>) fields.get(2);
      ranges.add(
          new SlotRange(
              Math.toIntExact((Long) fields.get(0)),
              Math.toIntExact((Long) fields.get(1)),
              Math.toIntExact((Long) master.get(1))));
    }
    ranges.sort((a, b) -> Integer.compare(a.first, b.first));
    return ranges;
  }
}
