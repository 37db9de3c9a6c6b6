package dev.mailroom.store.sqlite;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * JSON arrays handed to SQLite's {@code json_each} so that one statement does the work of many: a
 * fan-out to a thousand mailboxes is then a handful of statements, not thousands, and the cost of a
 * JDBC call per row (several microseconds) is paid once. Only identifiers go in (agent ids, mailbox
 * names, subscription ids, blob ids), whose characters ({@code A-Z a-z 0-9 _ - .}) need no
 * escaping.
 */
final class Json {
  private Json() {}

  /** {@code ["a","b"]}. */
  static String strings(Collection<String> values) {
    StringBuilder sb = new StringBuilder(values.size() * 16 + 2).append('[');
    for (String v : values) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(v).append('"');
    }
    return sb.append(']').toString();
  }

  /** Appends {@code "value"}, or {@code null}. */
  static StringBuilder string(StringBuilder sb, @Nullable String value) {
    return value == null ? sb.append("null") : sb.append('"').append(value).append('"');
  }
}
