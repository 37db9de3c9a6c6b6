package dev.mailroom.core.search;

/**
 * The string values of a JSON text, for indexing: every string literal that is not an object key,
 * unescaped, one per line. The text was validated as JSON when the message was sent; anything
 * malformed is read as far as it goes, never thrown on.
 */
final class JsonStrings {
  private JsonStrings() {}

  static String values(String json) {
    StringBuilder out = new StringBuilder();
    int n = json.length();
    int i = 0;
    while (i < n) {
      if (json.charAt(i) != '"') {
        i++;
        continue;
      }
      StringBuilder value = new StringBuilder();
      i++;
      while (i < n && json.charAt(i) != '"') {
        char c = json.charAt(i++);
        if (c != '\\' || i >= n) {
          value.append(c);
          continue;
        }
        char e = json.charAt(i++);
        switch (e) {
          case 'n', 'r', 't', 'b', 'f' -> value.append(' ');
          case 'u' -> {
            if (i + 4 <= n) {
              try {
                value.append((char) Integer.parseInt(json.substring(i, i + 4), 16));
              } catch (NumberFormatException bad) {
                value.append(' ');
              }
              i += 4;
            }
          }
          default -> value.append(e);
        }
      }
      i++; // the closing quote
      int after = i;
      while (after < n && Character.isWhitespace(json.charAt(after))) {
        after++;
      }
      boolean key = after < n && json.charAt(after) == ':';
      if (!key) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(value);
      }
    }
    return out.toString();
  }
}
