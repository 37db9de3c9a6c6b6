package dev.mailroom.cli;

import dev.mailroom.protocol.Escapes;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * A writer that shows the characters a terminal would act on instead of printing them: C0 controls
 * other than line feed and tab (escape sequences can recolour, retitle, clear the screen or write
 * the clipboard), DEL, C1 controls, and the bidirectional overrides and isolates that make text
 * read differently from what it is. Each becomes {@code \}{@code uXXXX}, which inside a JSON string
 * is the same character, so {@code --json} output stays valid and means the same. Payloads, names,
 * descriptions and server messages all come from other agents and are untrusted wherever the CLI
 * shows them. Not thread-safe, as the writer it wraps.
 */
final class SafeText extends FilterWriter {
  SafeText(Writer out) {
    super(out);
  }

  /** Whether a terminal could act on {@code c} rather than show it. */
  static boolean unsafe(char c) {
    return (c < 0x20 && c != '\n' && c != '\t')
        || (c >= 0x7f && c <= 0x9f)
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }

  /** {@code text} as {@link SafeText} would write it. */
  static String of(String text) {
    return Escapes.escape(text, c -> unsafe((char) c));
  }

  @Override
  public void write(int c) throws IOException {
    if (unsafe((char) c)) {
      out.write(Escapes.escape(c));
    } else {
      out.write(c);
    }
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    write(new String(buf, off, len), 0, len);
  }

  @Override
  public void write(String s, int off, int len) throws IOException {
    out.write(of(s.substring(off, off + len)));
  }
}
