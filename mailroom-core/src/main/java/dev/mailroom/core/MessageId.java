package dev.mailroom.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A message id: unique within a deployment and sorting in time order. The 63-bit value holds the
 * creation time in epoch milliseconds in its high 43 bits and a per-millisecond sequence in its low
 * 20 bits. The text form is 13 characters of Crockford base32, zero-padded, so text order and
 * numeric order agree.
 */
public record MessageId(long value) implements Comparable<MessageId> {
  /** Bits of the per-millisecond sequence. */
  public static final int SEQUENCE_BITS = 20;

  public static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;
  private static final int TEXT_LENGTH = 13;
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final byte[] DECODE = new byte[128];

  static {
    java.util.Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
      DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
    }
  }

  public MessageId {
    if (value < 0) {
      throw new IllegalArgumentException("message id must not be negative");
    }
  }

  public static MessageId of(long value) {
    return new MessageId(value);
  }

  /** The id made of a time and a sequence number within its millisecond. */
  public static MessageId of(Instant time, long sequence) {
    if (sequence < 0 || sequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException("sequence out of range: " + sequence);
    }
    return new MessageId((time.toEpochMilli() << SEQUENCE_BITS) | sequence);
  }

  /** The smallest id created at or after {@code time} (times are clamped to the id range). */
  public static MessageId lowestAt(Instant time) {
    return of(clampMillis(time) << SEQUENCE_BITS);
  }

  /** The largest id created at or before {@code time} (times are clamped to the id range). */
  public static MessageId highestAt(Instant time) {
    return of((clampMillis(time) << SEQUENCE_BITS) | MAX_SEQUENCE);
  }

  private static long clampMillis(Instant time) {
    long max = Long.MAX_VALUE >>> SEQUENCE_BITS;
    if (time.isBefore(Instant.EPOCH)) {
      return 0;
    }
    return time.getEpochSecond() >= max / 1000 ? max : Math.min(max, time.toEpochMilli());
  }

  /**
   * Parses the text form.
   *
   * @throws MailroomException.InvalidRequest if {@code text} is not a message id
   */
  public static MessageId parse(String text) {
    if (text.length() != TEXT_LENGTH) {
      throw Names.invalid("id", text, "is not a message id (13 characters of base32)");
    }
    long v = 0;
    for (int i = 0; i < TEXT_LENGTH; i++) {
      char c = text.charAt(i);
      int d = c < 128 ? DECODE[c] : -1;
      if (d < 0 || (i == 0 && d > 7)) {
        throw Names.invalid("id", text, "is not a message id (13 characters of base32)");
      }
      v = (v << 5) | d;
    }
    return new MessageId(v);
  }

  /** Parses the text form; empty if {@code text} is not a message id. */
  public static Optional<MessageId> tryParse(String text) {
    if (text.length() != TEXT_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text));
    } catch (MailroomException.InvalidRequest e) {
      return Optional.empty();
    }
  }

  /** When the message was created (millisecond precision). */
  public Instant timestamp() {
    return Instant.ofEpochMilli(value >>> SEQUENCE_BITS);
  }

  @Override
  public int compareTo(MessageId o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    char[] out = new char[TEXT_LENGTH];
    long v = value;
    for (int i = TEXT_LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (v & 31)];
      v >>>= 5;
    }
    return new String(out);
  }
}
