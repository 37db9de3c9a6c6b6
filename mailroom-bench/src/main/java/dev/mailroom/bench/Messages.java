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
}
