package dev.mailroom.server;

import java.util.Locale;

/** Reading the media types of {@code Content-Type} and {@code Accept} headers. */
public final class MediaTypes {
  private MediaTypes() {}

  /**
   * Whether a {@code Content-Type} value declares JSON in UTF-8: {@code application/json} or a
   * {@code +json} type such as {@code application/merge-patch+json}, with no charset or {@code
   * charset=utf-8}.
   */
  public static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    String type = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!type.equals("application/json")
        && !(type.startsWith("application/") && type.endsWith("+json"))) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      int eq = p.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = p.substring(0, eq).strip();
      String value = p.substring(eq + 1).strip().replace("\"", "");
      if (name.equalsIgnoreCase("charset") && !value.equalsIgnoreCase("utf-8")) {
        return false;
      }
    }
    return true;
  }

  /** Whether an {@code Accept} value lists {@code type} itself (not only through a wildcard). */
  public static boolean lists(String accept, String type) {
    for (String range : accept.split(",")) {
      String t = range.split(";", 2)[0].strip();
      if (t.equalsIgnoreCase(type)) {
        return true;
      }
    }
    return false;
  }
}
