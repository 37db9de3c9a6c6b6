package dev.mailroom.bench.compare;

import java.nio.ByteBuffer;

/**
 * The payload every scenario publishes: a fixed size (256 bytes by default), starting with the
 * {@link System#nanoTime()} the message counts its latency from (its send, or in an open-loop
 * scenario the time it was due) and its sequence number, each 8 bytes big-endian, then filler bytes
 * that run through every byte value, so an encoding that mangles binary shows up as a wrong header.
 */
final class Payloads {
  /** The header: send time and sequence number. */
  static final int HEADER = 16;

  private Payloads() {}

  static byte[] create(int size, long sendNanos, long seq) {
    if (size < HEADER) {
      throw new IllegalArgumentException("a payload needs at least " + HEADER + " bytes");
    }
    byte[] p = new byte[size];
    ByteBuffer.wrap(p).putLong(sendNanos).putLong(seq);
    for (int i = HEADER; i < size; i++) {
      p[i] = (byte) (i * 7 + seq);
    }
    return p;
  }

  static long sendNanos(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(0);
  }

  static long seq(byte[] payload) {
    return ByteBuffer.wrap(payload).getLong(8);
  }
}
