package dev.mailroom.store.sqlite;

import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.BlobId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a message's attachments are kept in its {@code attachments} column: compact JSON, one object
 * per attachment in the sender's order, such as {@code
 * [{"blob":"…","name":"build.log","content_type":"text/plain","size":12,"sha256":"…"}]}. JSON so
 * that an operator can read the column with SQLite's JSON functions; a message without attachments
 * has none (the column is null, see {@link Schema}).
 *
 * <p>The reader is strict: it takes what {@link #encode} writes (keys in any order, any JSON escape
 * in strings) and refuses anything else, so that a damaged column is reported, not guessed at. No
 * JSON library is needed for one fixed shape.
 */
final class AttachmentColumn {
  private AttachmentColumn() {}

  /** The column's text for {@code attachments}, which must not be empty. */
  static String encode(List<Attachment> attachments) {
    StringBuilder sb = new StringBuilder(attachments.size() * 200).append('[');
    for (Attachment a : attachments) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append("{\"blob\":");
      string(sb, a.blob().value());
      sb.append(",\"name\":");
      string(sb, a.name());
      sb.append(",\"content_type\":");
      string(sb, a.contentType());
      sb.append(",\"size\":").append(a.size()).append(",\"sha256\":");
      string(sb, a.sha256());
      sb.append('}');
    }
    return sb.append(']').toString();
  }

  /**
   * The attachments the column's text holds.
   *
   * @throws IllegalArgumentException if the text is not what {@link #encode} writes
   */
  static List<Attachment> decode(String json) {
    return new Reader(json).attachments();
  }

  private static void string(StringBuilder sb, String value) {
    sb.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A cursor over the column's text. */
  private static final class Reader {
    private final String text;
    private int at;

    Reader(String text) {
      this.text = text;
    }

    List<Attachment> attachments() {
      List<Attachment> attachments = new ArrayList<>();
      expect('[');
      if (!peek(']')) {
        do {
          attachments.add(attachment());
        } while (next(','));
      }
      expect(']');
      skipSpace();
      if (at != text.length()) {
        throw malformed("text after the array");
      }
      return attachments;
    }

    private Attachment attachment() {
      @Nullable String blob = null;
      @Nullable String name = null;
      @Nullable String contentType = null;
      @Nullable String sha256 = null;
      long size = -1;
      expect('{');
      do {
        String key = string();
        expect(':');
        switch (key) {
          case "blob" -> blob = string();
          case "name" -> name = string();
          case "content_type" -> contentType = string();
          case "sha256" -> sha256 = string();
          case "size" -> size = number();
          default -> throw malformed("unknown key " + key);
        }
      } while (next(','));
      expect('}');
      if (blob == null || name == null || contentType == null || sha256 == null || size < 0) {
        throw malformed("an attachment lacks a field");
      }
      try {
        return new Attachment(new BlobId(blob), name, contentType, size, sha256);
      } catch (RuntimeException e) {
        throw malformed(e.getMessage());
      }
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (at >= text.length()) {
          throw malformed("an unterminated string");
        }
        char c = text.charAt(at++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (at >= text.length()) {
          throw malformed("an unterminated escape");
        }
        char e = text.charAt(at++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw malformed("a short \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            } catch (NumberFormatException x) {
              throw malformed("a bad \\u escape");
            }
            at += 4;
          }
          default -> throw malformed("a bad escape");
        }
      }
    }

    private long number() {
      skipSpace();
      int start = at;
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
      try {
        return Long.parseLong(text.substring(start, at));
      } catch (NumberFormatException x) {
        throw malformed("a bad size");
      }
    }

    private void expect(char c) {
      if (!next(c)) {
        throw malformed("no '" + c + "' at " + at);
      }
    }

    /** Consumes {@code c} if it comes next (after white space). */
    private boolean next(char c) {
      if (peek(c)) {
        at++;
        return true;
      }
      return false;
    }

    private boolean peek(char c) {
      skipSpace();
      return at < text.length() && text.charAt(at) == c;
    }

    private void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private static IllegalArgumentException malformed(String what) {
      return new IllegalArgumentException("malformed attachments column: " + what);
    }
  }
}
