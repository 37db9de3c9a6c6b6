package dev.mailroom.cli;

import dev.mailroom.protocol.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What a command prints on standard output: JSON (the API's answer, one document per line) with
 * {@code --json}, otherwise text for people, tables aligned in columns.
 */
final class Output {
  private final PrintWriter out;
  private final boolean json;

  Output(PrintWriter out, boolean json) {
    this.out = out;
    this.json = json;
  }

  boolean json() {
    return json;
  }

  /** Prints a record as one line of JSON. */
  void json(Object value) {
    out.println(Json.mapper().writeValueAsString(value));
    out.flush();
  }

  /** Prints {@code value} as JSON with {@code --json}, else the text {@code human} gives. */
  void either(Object value, String human) {
    if (json) {
      json(value);
    } else {
      line(human);
    }
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Prints rows under a header, each column as wide as its widest cell; nothing if no rows. */
  void table(List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        b.append(cell);
        if (i < row.size() - 1) {
          b.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      line(b.toString().stripTrailing());
    }
  }
}
