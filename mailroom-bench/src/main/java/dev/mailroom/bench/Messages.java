package dev.mailroom.bench;

import java.nio.charset.StandardCharsets;

/** Request bodies used by the send benchmarks. */
final class Messages {
  private Messages() {}

  /** A direct text message of about {@code payloadBytes} bytes of payload. */
  static byte[] direct(String target, int payloadBytes, long n) {
    String text = "x".repeat(Math.max(0, payloadBytes - 20)) + " message " + n;
    return ("{\"mode\":\"direct\",\"target\":\""
            + target
            + "\",\"content_type\":\"text/plain\",\"payload\":\""
            + text
            + "\",\"tags\":[\"bench\"]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A topic message whose payload starts with {@code seq:N;} (and {@code t:NANOS;} when {@code
   * nanos >= 0}), padded to about {@code payloadBytes}, so a subscriber can tell which send it is.
   */
  static byte[] topic(String target, int payloadBytes, long seq, long nanos) {
    String head = "seq:" + seq + ";" + (nanos >= 0 ? "t:" + nanos + ";" : "");
    String text = head + "x".repeat(Math.max(0, payloadBytes - head.length()));
    return ("{\"mode\":\"topic\",\"target\":\""
            + target
            + "\",\"content_type\":\"text/plain\",\"payload\":\""
            + text
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code t:NANOS;} a topic payload carries, or -1. */
  static long sentNanos(String frame) {
    int at = frame.indexOf(";t:");
    if (at < 0) {
      return -1;
    }
    int end = frame.indexOf(';', at + 3);
    return Long.parseLong(frame, at + 3, end, 10);
  }
}
