package dev.mailroom.fuzz;

/** Bytes as readable text for failure messages: printable ASCII as is, the rest as escapes. */
final class Printable {
  private Printable() {}

  /**
   * The first {@code max} bytes; CR and LF as {@code \r\n} followed by a line break, tab as {@code
   * \t}, other bytes outside printable ASCII as {@code \xNN}.
   */
  static String bytes(byte[] bytes, int max) {
    StringBuilder b = new StringBuilder();
    int n = Math.min(bytes.length, max);
    for (int i = 0; i < n; i++) {
      int c = bytes[i] & 0xff;
      switch (c) {
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n\n");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            b.append((char) c);
          } else {
            b.append(String.format("\\x%02x", c));
          }
        }
      }
    }
    if (bytes.length > max) {
      b.append("\n... (").append(bytes.length).append(" bytes in all; the first ").append(max);
      b.append(" shown)");
    }
    return b.toString();
  }
}
