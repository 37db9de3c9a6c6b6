package dev.mailroom.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts one table into a TOML file's text, line by line, so that everything else in the file (its
 * other tables, comments and layout) stays exactly as it was: Codex's {@code config.toml} is edited
 * by hand. The table, from its header to the next header, is replaced when present, else appended.
 */
final class TomlTable {
  private TomlTable() {}

  /**
   * The text with the table {@code [name]} holding exactly {@code lines}.
   *
   * @throws IllegalArgumentException if the file defines the table otherwise than under its own
   *     header (with dotted keys or inline), which this edit could not replace safely
   */
  static String put(Path path, Optional<String> text, String name, List<String> lines) {
    String header = "[" + name + "]";
    List<String> in = text.map(t -> t.lines().toList()).orElse(List.of());
    List<String> out = new ArrayList<>(in.size() + lines.size() + 2);
    boolean placed = false;
    boolean inside = false;
    for (String line : in) {
      String t = line.strip();
      if (t.startsWith("[")) {
        inside = t.equals(header) || t.startsWith(header + " ") || t.startsWith(header + "#");
        if (inside) {
          if (placed) {
            throw new IllegalArgumentException(path + " has " + header + " twice");
          }
          out.add(header);
          out.addAll(lines);
          out.add("");
          placed = true;
          continue;
        }
      } else if (!inside && definesOtherwise(t, name)) {
        throw new IllegalArgumentException(
            path
                + " defines "
                + name
                + " without a "
                + header
                + " header; make it one, then"
                + " install again");
      }
      if (!inside) {
        out.add(line);
      }
    }
    if (!placed) {
      if (!out.isEmpty() && !out.getLast().isBlank()) {
        out.add("");
      }
      out.add(header);
      out.addAll(lines);
    }
    while (!out.isEmpty() && out.getLast().isBlank()) {
      out.removeLast();
    }
    return String.join("\n", out) + "\n";
  }

  /** Whether a line sets the table's keys with dotted keys, or the table itself inline. */
  private static boolean definesOtherwise(String line, String name) {
    int dot = name.lastIndexOf('.');
    String parent = dot < 0 ? "" : name.substring(0, dot);
    String last = name.substring(dot + 1);
    return line.startsWith(name + ".")
        || line.startsWith(name + " ")
        || line.startsWith(name + "=")
        || (!parent.isEmpty()
            && line.startsWith(parent)
            && line.contains(last)
            && line.contains("{"));
  }

  /** {@code value} as a TOML basic string. */
  static String string(String value) {
    StringBuilder b = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
