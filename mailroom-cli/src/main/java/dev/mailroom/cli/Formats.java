package dev.mailroom.cli;

import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SkippedMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** How messages and times read for people. */
final class Formats {
  static final int PREVIEW = 72;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(Instant t) {
    return TIME.format(t);
  }

  static String time(Optional<Instant> t) {
    return t.map(Formats::time).orElse("-");
  }

  /** One line: id, time, route, priority, tags, the payload's start; {@code *} marks unread. */
  static String summary(MessageView m) {
    StringBuilder b = new StringBuilder();
    b.append(m.readAt().isPresent() ? "  " : "* ");
    b.append(m.id()).append("  ").append(time(m.timestamp())).append("  ");
    b.append(m.sender()).append(" -> ").append(m.target().orElse("(broadcast)"));
    if (!m.priority().equals("normal")) {
      b.append("  !").append(m.priority());
    }
    if (!m.tags().isEmpty()) {
      b.append("  [").append(String.join(", ", m.tags())).append(']');
    }
    if (!m.attachments().isEmpty()) {
      int n = m.attachments().size();
      b.append("  (").append(n).append(n == 1 ? " attachment)" : " attachments)");
    }
    b.append("  ").append(preview(m, PREVIEW));
    return b.toString();
  }

  /** The whole message: a header line per field, a blank line, the payload. */
  static List<String> full(MessageView m) {
    List<String> lines = new ArrayList<>();
    lines.add("id:           " + m.id());
    lines.add("from:         " + m.sender());
    lines.add("to:           " + m.target().orElse("(broadcast)") + " (" + m.mode() + ")");
    lines.add("sent:         " + time(m.timestamp()));
    lines.add("expires:      " + time(m.expiresAt()));
    lines.add(
        "content type: " + m.contentType() + m.language().map(l -> " (" + l + ")").orElse(""));
    lines.add("priority:     " + m.priority());
    if (!m.tags().isEmpty()) {
      lines.add("tags:         " + String.join(", ", m.tags()));
    }
    m.threadId().ifPresent(t -> lines.add("thread:       " + t));
    m.inReplyTo().ifPresent(r -> lines.add("in reply to:  " + r));
    if (!m.metadata().isEmpty()) {
      lines.add("metadata:     " + json(m.metadata()));
    }
    m.readAt().ifPresent(r -> lines.add("read:         " + time(r)));
    for (AttachmentView a : m.attachments()) {
      lines.add((a.n() == 0 ? "attachments:  " : "              ") + attachment(a));
    }
    lines.add("");
    lines.add(body(m));
    return lines;
  }

  /** An attachment on one line: its number, name, type and size. */
  static String attachment(AttachmentView a) {
    return a.n() + " " + a.name() + " (" + a.contentType() + ", " + bytes(a.size()) + ")";
  }

  /** A size for people: bytes, or KiB, MiB, GiB with one decimal. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int unit = -1;
    while (v >= 1024 && unit < units.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
  }

  /** A message that was not shown because this client cannot decode it, for standard error. */
  static String skipped(SkippedMessage s) {
    return "mailroom: skipped "
        + s.idOrUnknown()
        + ", which this client cannot decode: "
        + s.reason();
  }

  /** The payload as text: strings as they are, JSON compact, binary as its size. */
  static String body(MessageView m) {
    if (m.contentType().equals("application/octet-stream")) {
      return "<binary, " + Base64.getDecoder().decode(m.payload().asString()).length + " bytes>";
    }
    // Not toString(): that writes with Jackson's default limits, shallower than a payload may be.
    return m.payload().isString() ? m.payload().asString() : json(m.payload());
  }

  private static String json(JsonNode value) {
    return Json.mapper().writeValueAsString(value);
  }

  /** The payload's first line, cut to {@code max} characters. */
  static String preview(MessageView m, int max) {
    String text = body(m).strip();
    int newline = text.indexOf('\n');
    if (newline >= 0) {
      text = text.substring(0, newline) + " ...";
    }
    return text.length() > max ? text.substring(0, max - 3) + "..." : text;
  }
}
