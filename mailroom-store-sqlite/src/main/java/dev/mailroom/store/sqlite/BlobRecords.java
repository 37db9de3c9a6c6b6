package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
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
 * field and one per part received ({@code part.3=65536 <sha256>}), times as ISO-8601 instants. A
 * standard format, so an operator can read it and any name (a file name may hold any character but
 * a control character) is escaped by the JDK, not by hand.
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
      p.setProperty(PART + part.n(), part.size() + " " + part.sha256());
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
                sizeAndSha[1]));
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
