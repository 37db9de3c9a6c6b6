package dev.mailroom.testkit.redis;

import java.util.Arrays;
import java.util.List;

/**
 * The lines of {@code CLUSTER NODES}, one per node that the asked node knows of: how the fixtures
 * tell whether gossip has spread the news of a new node or a new replica yet.
 */
final class ClusterNodes {
  private ClusterNodes() {}

  /** The non-blank lines of {@code CLUSTER NODES} on the node at {@code port}. */
  static List<String> of(int port) {
    Object reply = Resp.once(port, "CLUSTER", "NODES");
    if (!(reply instanceof String text)) {
      throw new IllegalStateException("CLUSTER NODES on port " + port + " answered " + reply);
    }
    return Arrays.stream(text.split("\r?\n")).filter(l -> !l.isBlank()).toList();
  }

  /**
   * Whether {@code line} is a replica that knows its master: flags (third field) with {@code slave}
   * and a master id (fourth field) rather than {@code -}.
   */
  static boolean isReplica(String line) {
    String[] fields = line.split(" ");
    return fields.length > 3
        && Arrays.asList(fields[2].split(",")).contains("slave")
        && !fields[3].equals("-");
  }
}
