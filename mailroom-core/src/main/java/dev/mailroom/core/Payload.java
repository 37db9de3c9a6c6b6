package dev.mailroom.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A message body as stored: UTF-8 text for the text types, JSON text for {@code application/json},
 * raw bytes for {@code application/octet-stream}. Immutable.
 */
public final class Payload {
  private final byte[] bytes;

  private Payload(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies {@code bytes}. */
  public static Payload of(byte[] bytes) {
    return new Payload(bytes.clone());
  }

  public static Payload ofText(String text) {
    return new Payload(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int size() {
    return bytes.length;
  }

  /** The bytes read as UTF-8. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload p && Arrays.equals(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Payload[" + bytes.length + " bytes]";
  }
}
