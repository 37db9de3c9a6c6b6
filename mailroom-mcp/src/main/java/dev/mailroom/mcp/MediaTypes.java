package dev.mailroom.mcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The media types of attachments: the one a file gets when its sender names none, and whether a
 * type is text a tool result may show.
 */
final class MediaTypes {
  static final String DEFAULT = "application/octet-stream";

  /**
   * Extensions agents send often, which the platform's table misses or maps differently from one
   * system to the next (a {@code .log} is text everywhere).
   */
  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("txt", "text/plain"),
          Map.entry("log", "text/plain"),
          Map.entry("out", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("markdown", "text/markdown"),
          Map.entry("csv", "text/csv"),
          Map.entry("tsv", "text/tab-separated-values"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("css", "text/css"),
          Map.entry("diff", "text/x-diff"),
          Map.entry("patch", "text/x-diff"),
          Map.entry("json", "application/json"),
          Map.entry("jsonl", "application/x-ndjson"),
          Map.entry("ndjson", "application/x-ndjson"),
          Map.entry("xml", "application/xml"),
          Map.entry("yaml", "application/yaml"),
          Map.entry("yml", "application/yaml"),
          Map.entry("toml", "application/toml"),
          Map.entry("js", "text/javascript"),
          Map.entry("java", "text/x-java"),
          Map.entry("py", "text/x-python"),
          Map.entry("sh", "application/x-sh"),
          Map.entry("sql", "application/sql"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tar", "application/x-tar"));

  /** Types outside {@code text/*} that are text. */
  private static final Set<String> TEXT =
      Set.of(
          "application/json",
          "application/x-ndjson",
          "application/xml",
          "application/yaml",
          "application/x-yaml",
          "application/toml",
          "application/javascript",
          "application/x-sh",
          "application/sql",
          "application/csv",
          "application/x-www-form-urlencoded");

  private MediaTypes() {}

  /**
   * The type of {@code file} by its extension: from a small table of common ones, then the
   * platform's ({@link Files#probeContentType}), else {@link #DEFAULT}. Parameters are dropped, as
   * the API takes none.
   */
  static String guess(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString();
    int dot = n.lastIndexOf('.');
    if (dot >= 0) {
      String known = BY_EXTENSION.get(n.substring(dot + 1).toLowerCase(Locale.ROOT));
      if (known != null) {
        return known;
      }
    }
    try {
      String probed = Files.probeContentType(file);
      if (probed != null) {
        String type = probed.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.matches("[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")) {
          return type;
        }
      }
    } catch (IOException e) {
      // the platform could not tell: the default says as much
    }
    return DEFAULT;
  }

  /** Whether bytes of this type are text to show: {@code text/*}, JSON, XML, YAML and the like. */
  static boolean textLike(String contentType) {
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || TEXT.contains(type)
        || type.endsWith("+json")
        || type.endsWith("+xml")
        || type.endsWith("+yaml");
  }
}
