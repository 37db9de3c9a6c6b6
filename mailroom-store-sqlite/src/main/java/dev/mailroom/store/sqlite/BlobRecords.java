package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * How the {@link FileBlobStore} writes what it knows of an upload or blob (everything of a {@link
 * Blob}) to its {@code .meta} file: a Java properties file in UTF-8, keys in order, one key per
 * field and one per part received ({@code part.3=65536 <checksum>}, the checksum as {@link
 * PartChecksum#stored()} writes it), times as ISO-8601 instants. A standard format, so an operator
 * can read it and any name (a file name may hold any character but a control character) is escaped
 * by the JDK, not by hand.
 *
 * <p>The changes made since the record was last written are lines of its {@code .log} file, each
 * ended by a newline, in the order they were made:
 *
 * <ul>
 *   <li>{@code part <n> <size> <checksum> <time>}: part {@code n} was received at that time;
 *   <li>{@code drop <n>}: part {@code n} was taken back, as it is about to be sent again;
 *   <li>{@code used <time>}: the blob was attached at that time.
 * </ul>
 *
 * <p>{@link #replay} applies them to the record. Applying a log twice gives what applying it once
 * does, so a crash between writing a record that holds a log and deleting the log loses nothing.
 */
final class BlobRecords {
  private static final String FORMAT = "1";
  private static final String PART = "part.";

  private BlobRecords() {}

  static byte[] encode(Blob blob) {
    Properties p = new Properties();
    p.setProperty("format", FORMAT);
    p.setProperty("id", blob.id().value());
    p.setProperty("owner", blob.owner().value());
    p.setProperty("name", blob.name());
    p.setProperty("content_type", blob.contentType());
    p.setProperty("size", Long.toString(blob.size()));
    p.setProperty("part_size", Integer.toString(blob.partSize()));
    blob.declaredSha256().ifPresent(s -> p.setProperty("declared_sha256", s));
    blob.sha256().ifPresent(s -> p.setProperty("sha256", s));
    p.setProperty("created_at", blob.createdAt().toString());
    p.setProperty("last_used", blob.lastUsed().toString());
    for (Blob.Part part : blob.parts()) {
      p.setProperty(PART + part.n(), part.size() + " " + part.checksum().stored());
    }
    StringWriter out = new StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    // store() begins with a comment holding the time of day, which would make equal records differ.
    StringBuilder text = new StringBuilder();
    out.toString()
        .lines()
        .filter(l -> !l.startsWith("#"))
        .forEach(l -> text.append(l).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The upload or blob a record describes.
   *
   * @throws IllegalArgumentException if the bytes are not such a record
   */
  static Blob decode(byte[] bytes) {
    try {
      return read(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed blob record: " + e.getMessage(), e);
    }
  }

  /** The log line of part {@code part}, received at {@code at}. */
  static String partLine(Blob.Part part, Instant at) {
    return "part "
        + part.n()
        + " "
        + part.size()
        + " "
        + part.checksum().stored()
        + " "
        + at
        + "\n";
  }

  /** The log line of part {@code n} taken back. */
  static String dropLine(int n) {
    return "drop " + n + "\n";
  }

  /** The log line of a use at {@code at}. */
  static String usedLine(Instant at) {
    return "used " + at + "\n";
  }

  /**
   * The record {@code blob} with the changes of a log applied. Parts matter only while the upload
   * is open; a complete record holds its parts, and then only uses count. A use or a part never
   * moves {@link Blob#lastUsed} back. The log ends at its first line that is cut short or
   * malformed, which a crash during an append leaves.
   *
   * @param log the log's bytes
   * @return the record, and how many lines were applied and ignored
   */
  static Replayed replay(Blob blob, byte[] log) {
    String text = new String(log, StandardCharsets.UTF_8);
    int applied = 0;
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      Optional<Blob> changed = apply(blob, text.substring(start, end));
      if (changed.isEmpty()) {
        break;
      }
      blob = changed.get();
      applied++;
      start = end + 1;
    }
    int ignored = (int) text.substring(start).lines().count();
    return new Replayed(blob, applied, ignored);
  }

  /** A record with its log applied: {@code applied} lines, and {@code ignored} after them. */
  record Replayed(Blob blob, int applied, int ignored) {}

  private static Optional<Blob> apply(Blob blob, String line) {
    String[] words = line.split(" ", -1);
    try {
      switch (words[0]) {
        case "part" -> {
          if (words.length != 5) {
            return Optional.empty();
          }
          Blob.Part part =
              new Blob.Part(
                  Integer.parseInt(words[1]),
                  Long.parseLong(words[2]),
                  PartChecksum.parse(words[3]));
          Instant at = Instant.parse(words[4]);
          if (part.n() < 0
              || part.n() >= blob.partCount()
              || part.size() != blob.partLength(part.n())
              || !PartChecksum.isValid(words[3])) {
            return Optional.empty();
          }
          return Optional.of(blob.complete() ? blob : blob.withPart(part, later(blob, at)));
        }
        case "drop" -> {
          if (words.length != 2) {
            return Optional.empty();
          }
          int n = Integer.parseInt(words[1]);
          return Optional.of(blob.complete() ? blob : blob.withoutPart(n));
        }
        case "used" -> {
          if (words.length != 2) {
            return Optional.empty();
          }
          return Optional.of(blob.usedAt(later(blob, Instant.parse(words[1]))));
        }
        default -> {
          return Optional.empty();
        }
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Instant later(Blob blob, Instant at) {
    return at.isAfter(blob.lastUsed()) ? at : blob.lastUsed();
  }

  private static Blob read(byte[] bytes) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("a StringReader does not fail", e);
    }
    if (!FORMAT.equals(p.getProperty("format"))) {
      throw new IllegalArgumentException("not a blob record of format " + FORMAT);
    }
    List<Blob.Part> parts = new ArrayList<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith(PART)) {
        String[] sizeAndSha = p.getProperty(key).split(" ");
        if (sizeAndSha.length != 2) {
          throw new IllegalArgumentException("malformed " + key);
        }
        parts.add(
            new Blob.Part(
                Integer.parseInt(key.substring(PART.length())),
                Long.parseLong(sizeAndSha[0]),
                PartChecksum.parse(sizeAndSha[1])));
      }
    }
    parts.sort(Comparator.comparingInt(Blob.Part::n));
    return new Blob(
        new BlobId(required(p, "id")),
        AgentId.of(required(p, "owner")),
        required(p, "name"),
        required(p, "content_type"),
        Long.parseLong(required(p, "size")),
        Integer.parseInt(required(p, "part_size")),
        Optional.ofNullable(p.getProperty("declared_sha256")),
        Optional.ofNullable(p.getProperty("sha256")),
        parts,
        Instant.parse(required(p, "created_at")),
        Instant.parse(required(p, "last_used")));
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }
}
