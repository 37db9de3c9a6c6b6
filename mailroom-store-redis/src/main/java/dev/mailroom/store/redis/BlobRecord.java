package dev.mailroom.store.redis;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An upload's or blob's record as the blob scripts keep it (see blob_common.lua), read back: the
 * {@link Blob}, and what only the store needs, the write number each part's chunks are stored under
 * and the writes whose chunks may exist but are no part of it.
 *
 * @param blob the upload or blob
 * @param state {@code open}, {@code complete} or {@code removing}
 * @param version the count of changes to its parts, which completion checks did not change
 * @param writes the write number of each part received, by part number
 * @param strays the part number of each write whose chunks are no part of it, by write number
 */
record BlobRecord(
    Blob blob, String state, String version, Map<Integer, Long> writes, Map<Long, Integer> strays) {

  /** Added to an instant's epoch second, so that every instant's stamp has the same digits. */
  private static final long SECONDS_OFFSET = 100_000_000_000_000_000L;

  BlobRecord {
    writes = Map.copyOf(writes);
    strays = Map.copyOf(strays);
  }

  /** Whether it is being removed: no read sees it any more. */
  boolean removing() {
    return state.equals("removing");
  }

  /**
   * Reads a record from its hash's fields; empty if there are none (no such upload).
   *
   * @throws IllegalStateException if a field cannot be read
   */
  static Optional<BlobRecord> parse(BlobId id, Map<byte[], byte[]> hash) {
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    hash.forEach((k, v) -> fields.put(Codec.text(k), Codec.text(v)));
    List<Blob.Part> parts = new ArrayList<>();
    Map<Integer, Long> writes = new HashMap<>();
    Map<Long, Integer> strays = new HashMap<>();
    try {
      for (Map.Entry<String, String> f : fields.entrySet()) {
        String name = f.getKey();
        if (name.startsWith("p:")) {
          int n = Integer.parseInt(name.substring(2));
          String[] record = f.getValue().split(":", 3);
          writes.put(n, Long.parseLong(record[0]));
          parts.add(new Blob.Part(n, Long.parseLong(record[1]), PartChecksum.parse(record[2])));
        } else if (name.startsWith("w:")) {
          strays.put(Long.parseLong(name.substring(2)), Integer.parseInt(f.getValue()));
        }
      }
      parts.sort(Comparator.comparingInt(Blob.Part::n));
      Blob blob =
          new Blob(
              id,
              AgentId.of(fields.get("owner")),
              fields.get("name"),
              fields.get("type"),
              Long.parseLong(fields.get("size")),
              Integer.parseInt(fields.get("psize")),
              Optional.ofNullable(fields.get("dsha")),
              Optional.ofNullable(fields.get("sha")),
              parts,
              instant(fields.get("created")),
              instant(fields.get("used")));
      return Optional.of(
          new BlobRecord(blob, fields.get("state"), fields.get("ver"), writes, strays));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the record of upload " + id + " cannot be read", e);
    }
  }

  /**
   * An instant as the records keep it: 27 digits, the epoch second (offset to be positive) then the
   * nanosecond, which compare as text (and in blob_common.lua's {@code earlier}) as the instants
   * do.
   */
  static String stamp(Instant t) {
    return String.format("%018d%09d", t.getEpochSecond() + SECONDS_OFFSET, t.getNano());
  }

  /** Reads back what {@link #stamp} wrote. */
  static Instant instant(String stamp) {
    return Instant.ofEpochSecond(
        Long.parseLong(stamp.substring(0, 18)) - SECONDS_OFFSET,
        Long.parseLong(stamp.substring(18)));
  }
}
