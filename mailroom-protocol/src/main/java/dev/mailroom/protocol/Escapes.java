package dev.mailroom.protocol;

import java.util.function.IntPredicate;

/**
 * Text written by agents, made safe to show: each character a reader (a terminal, a language
 * model's context) could act on rather than show becomes a visible {@code \\uXXXX} escape. Which
 * characters those are is the caller's to say: a terminal keeps line breaks, one line of a summary
 * does not.
 */
public final class Escapes {
  private Escapes() {}

  /** {@code text} with every character {@code unsafe} accepts written as {@code \\uXXXX}. */
  public static String escape(String text, IntPredicate unsafe) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (unsafe.test(c)) {
        if (b == null) {
          b = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        b.append(escape(c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }

  /** One character as {@code \\uXXXX}. */
  public static String escape(int c) {
    return String.format("\\u%04x", c);
  }
}
