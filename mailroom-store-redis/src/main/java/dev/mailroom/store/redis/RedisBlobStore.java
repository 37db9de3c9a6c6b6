package dev.mailroom.store.redis;

import static io.lettuce.core.ScriptOutputType.INTEGER;
import static io.lettuce.core.ScriptOutputType.MULTI;
import static io.lettuce.core.ScriptOutputType.VALUE;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobErrors;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.blob.PartCopy;
import dev.mailroom.core.spi.BlobStore;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uploads and blobs in Redis. Each one's record is a hash in the system's own keys, beside sorted
 * sets of the open uploads and of the blobs by last use, the bytes counted against each owner and
 * the bytes of all of them, which {@link RedisOptions#maxBlobBytes()} bounds (see blob_common.lua).
 * Every change to them is one script in the system's slot, so the quota check of {@link #create},
 * the recording of a part and the check-and-removal of {@link #remove} are atomic. The bytes are in
 * chunks of at most 1 MiB spread over the slots of a Cluster ({@link BlobChunks}), each written and
 * read by a command of its own.
 *
 * <p>A part's write takes a write number and is listed in the record (blob_begin.lua), copies the
 * body through {@link PartCopy#copy} into chunks under that number, one chunk held at a time, and
 * only then records the part (blob_part.lua), listing the chunks of the write it replaces for
 * deletion. A refused write deletes its chunks and takes back the part it was to replace
 * (blob_unpart.lua). So parts of one upload, and even writes of one part, may run at once: no two
 * writes share a chunk key, and the record changes only in scripts.
 *
 * <p>{@link #complete} reads every chunk through SHA-256 on this node, and makes the upload a blob
 * only if no part changed meanwhile (it reads them again otherwise). A removal marks the record as
 * being removed, which no read sees from then on, deletes the chunks, then the record: a node that
 * dies half way leaves no blob that reads with chunks missing, and the next {@link #remove} of it
 * or {@link #unusedSince} finishes the removal.
 *
 * <p>Shares the storage's connection ({@link RedisLink}), which maps every failure to reach Redis
 * to {@link MailroomException.Unavailable}, and owns nothing that {@link #close()} would release.
 * Thread-safe.
 */
final class RedisBlobStore implements BlobStore {
  /** How often {@link #complete} reads an upload again whose parts changed while it read them. */
  private static final int COMPLETE_ATTEMPTS = 3;

  /** How many half-done removals one {@link #unusedSince} finishes. */
  private static final int LEFTOVERS = 100;

  private final RedisLink link;
  private final Scripts scripts;
  private final BlobChunks chunks;
  private final long maxBytes;

  /**
   * @param maxBytes the most bytes of uploads and blobs together
   * @param chunkSize the largest chunk ({@link BlobChunks#CHUNK}; tests choose smaller ones)
   */
  RedisBlobStore(RedisLink link, Scripts scripts, long maxBytes, int chunkSize) {
    this.link = link;
    this.scripts = scripts;
    this.chunks = new BlobChunks(link, chunkSize);
    this.maxBytes = maxBytes;
  }

  @Override
  public void create(Blob upload, long quota) {
    List<Object> r =
        link.run(
            scripts.blobCreate(),
            MULTI,
            upload.id().value(),
            upload.owner().value(),
            upload.name(),
            upload.contentType(),
            upload.size(),
            upload.partSize(),
            upload.declaredSha256().orElse(""),
            BlobRecord.stamp(upload.createdAt()),
            BlobRecord.stamp(upload.lastUsed()),
            upload.lastUsed().toEpochMilli(),
            quota,
            maxBytes);
    String status = RedisMessageStore.string(r.get(0));
    long counted = Long.parseLong(RedisMessageStore.string(r.get(1)));
    switch (status) {
      case "ok" -> {}
      case "quota" -> throw BlobErrors.quotaExceeded(upload, counted, quota);
      case "full" ->
          throw MailroomException.LimitExceeded.tooLarge(
              "size: the Redis blob store is full: "
                  + upload.size()
                  + " more bytes would bring the uploads and blobs it holds to "
                  + (counted + upload.size())
                  + " bytes, and it holds at most "
                  + maxBytes
                  + " (the Redis store's max blob bytes); try again once older ones are removed");
      default -> throw new IllegalStateException("unexpected upload result " + status);
    }
  }

  @Override
  public Optional<Blob> find(BlobId id) {
    return record(id).map(BlobRecord::blob);
  }

  /** The record of an upload or blob, unless there is none or it is being removed. */
  private Optional<BlobRecord> record(BlobId id) {
    return stored(id).filter(r -> !r.removing());
  }

  /** The record of an upload or blob as stored, even while it is being removed. */
  private Optional<BlobRecord> stored(BlobId id) {
    return BlobRecord.parse(id, link.call(() -> link.sync().hgetall(meta(id))));
  }

  @Override
  public Blob writePart(
      BlobId id, int n, InputStream body, List<PartChecksum> expected, Instant now) {
    Blob upload = find(id).orElseThrow(() -> BlobErrors.notFound(id));
    if (upload.complete()) {
      throw BlobErrors.alreadyComplete(id);
    }
    long length = upload.partLength(n);
    List<Object> begun = link.run(scripts.blobBegin(), MULTI, id.value(), n);
    refuse(id, RedisMessageStore.string(begun.get(0)));
    long write = (Long) begun.get(1);
    String before = RedisMessageStore.string(begun.get(2));
    BlobChunks.Writer sink = chunks.writer(id, n, write, length);
    PartChecksum actual;
    try {
      actual = PartCopy.copy(body, length, expected, n, sink);
    } catch (IOException e) {
      throw refused(id, n, write, sink, before, length, new UncheckedIOException(e));
    } catch (RuntimeException e) {
      throw refused(id, n, write, sink, before, length, e);
    }
    List<Object> recorded =
        link.run(
            scripts.blobPart(),
            MULTI,
            id.value(),
            n,
            write,
            length,
            actual.stored(),
            BlobRecord.stamp(now),
            now.toEpochMilli());
    String status = RedisMessageStore.string(recorded.get(0));
    if (!status.equals("ok")) {
      // Completed or removed meanwhile: these chunks are no part of anything.
      chunks.delete(id, n, write, sink.started());
      refuse(id, status);
    }
    String replaced = RedisMessageStore.string(recorded.get(1));
    if (!replaced.isEmpty() && Long.parseLong(replaced) != write) {
      drop(id, n, Long.parseLong(replaced), length);
    }
    return find(id).orElseThrow(() -> BlobErrors.notFound(id));
  }

  /** Throws the refusal a script's answer stands for, unless it is {@code ok}. */
  private static void refuse(BlobId id, String status) {
    switch (status) {
      case "ok" -> {}
      case "complete" -> throw BlobErrors.alreadyComplete(id);
      case "removing", "none" -> throw BlobErrors.notFound(id);
      default -> throw new IllegalStateException("unexpected part result " + status);
    }
  }

  /**
   * Undoes a refused write: deletes its chunks, and takes back the part it was to replace (recorded
   * as {@code before} when it began) unless another write replaced that meanwhile. A failure to do
   * so is added to {@code failure}, which is returned to be thrown; the chunks stay listed in the
   * record, and the upload's removal deletes them.
   */
  private RuntimeException refused(
      BlobId id,
      int n,
      long write,
      BlobChunks.Writer sink,
      String before,
      long length,
      RuntimeException failure) {
    try {
      chunks.delete(id, n, write, sink.started());
      String old =
          RedisMessageStore.string(
              link.run(scripts.blobUnpart(), VALUE, id.value(), n, write, before));
      if (!old.isEmpty()) {
        drop(id, n, Long.parseLong(old), length);
      }
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** Deletes the chunks of a write that is no part of the upload any more, then unlists it. */
  private void drop(BlobId id, int n, long write, long length) {
    chunks.delete(id, n, write, chunks.count(length));
    link.call(() -> link.sync().hdel(meta(id), Codec.utf8("w:" + write)));
  }

  @Override
  public Blob complete(BlobId id, Instant now) {
    for (int attempt = 1; ; attempt++) {
      BlobRecord record = record(id).orElseThrow(() -> BlobErrors.notFound(id));
      Blob upload = record.blob();
      if (upload.complete()) {
        return upload;
      }
      List<Integer> missing = upload.missingParts();
      if (!missing.isEmpty()) {
        throw BlobErrors.incomplete(upload, missing);
      }
      Optional<String> sha256 = sha256(record);
      if (sha256.isPresent()) {
        String actual = sha256.get();
        if (upload.declaredSha256().isPresent() && !upload.declaredSha256().get().equals(actual)) {
          throw BlobErrors.wrongSha256(upload, actual);
        }
        String status =
            RedisMessageStore.string(
                link.run(
                    scripts.blobComplete(),
                    VALUE,
                    id.value(),
                    record.version(),
                    actual,
                    BlobRecord.stamp(now),
                    now.toEpochMilli()));
        switch (status) {
          case "ok", "complete" -> {
            return find(id).orElseThrow(() -> BlobErrors.notFound(id));
          }
          case "removing", "none" -> throw BlobErrors.notFound(id);
          default -> {
            // "changed": a part was sent again while its bytes were read; read them again.
          }
        }
      }
      if (attempt == COMPLETE_ATTEMPTS) {
        throw new MailroomException.Conflict(
            "upload " + id + " kept changing while it was being completed; complete it again");
      }
    }
  }

  /**
   * The SHA-256 of an upload's parts as the record names them, read a chunk at a time; empty if a
   * chunk is gone (its part was replaced meanwhile).
   */
  private Optional<String> sha256(BlobRecord record) {
    MessageDigest digest = PartCopy.sha256();
    byte[] buffer = new byte[PartCopy.BUFFER];
    try (InputStream in = chunks.open(record, 0, record.blob().size())) {
      for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
    } catch (BlobChunks.MissingChunk e) {
      return Optional.empty();
    } catch (IOException e) {
      throw e.getCause() instanceof MailroomException m ? m : new UncheckedIOException(e);
    }
    return Optional.of(HexFormat.of().formatHex(digest.digest()));
  }

  @Override
  public InputStream open(BlobId id, long offset, long length) {
    BlobRecord record =
        record(id).filter(r -> r.blob().complete()).orElseThrow(() -> BlobErrors.notFound(id));
    if (offset < 0 || length < 0 || offset + length > record.blob().size()) {
      throw new IllegalArgumentException("range outside the blob");
    }
    return chunks.open(record, offset, length);
  }

  @Override
  public boolean touch(BlobId id, Instant now) {
    Long touched =
        link.run(
            scripts.blobTouch(), INTEGER, id.value(), BlobRecord.stamp(now), now.toEpochMilli());
    return touched == 1;
  }

  /**
   * Marks it as being removed if it was last used before the cutoff (blob_remove.lua), then
   * finishes: deletes its chunks and its record. An upload or blob found half removed (a node died
   * removing it) is finished too, but not counted as removed by this call.
   */
  @Override
  public boolean remove(BlobId id, Instant unusedBefore) {
    Long marked =
        link.run(scripts.blobRemove(), INTEGER, id.value(), BlobRecord.stamp(unusedBefore));
    if (marked == 0) {
      return false;
    }
    finish(id);
    return marked == 1;
  }

  /** Deletes the chunks of an upload or blob being removed, then its record. */
  private void finish(BlobId id) {
    stored(id).filter(BlobRecord::removing).ifPresent(chunks::deleteAll);
    link.<Long>run(scripts.blobForget(), INTEGER, id.value());
  }

  /** First finishes the removals that a node left half done (see {@link #remove}). */
  @Override
  public List<Blob> unusedSince(boolean complete, Instant before, int max) {
    for (byte[] id : link.call(() -> link.sync().zrange(link.key("bx"), 0, LEFTOVERS - 1))) {
      finish(new BlobId(Codec.text(id)));
    }
    if (max <= 0) {
      return List.of();
    }
    // Scores are milliseconds: the records' own times decide, to the nanosecond.
    byte[] set = link.key(complete ? "bc" : "bo");
    Range<Number> range =
        Range.from(Range.Boundary.unbounded(), Range.Boundary.including(before.toEpochMilli()));
    List<byte[]> ids = link.call(() -> link.sync().zrangebyscore(set, range, Limit.create(0, max)));
    List<Map<byte[], byte[]>> hashes =
        link.pipelined(ids, (c, id) -> c.hgetall(link.key("b:" + Codec.text(id))));
    List<Blob> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      BlobRecord.parse(new BlobId(Codec.text(ids.get(i))), hashes.get(i))
          .filter(r -> !r.removing())
          .map(BlobRecord::blob)
          .filter(b -> b.complete() == complete && b.lastUsed().isBefore(before))
          .ifPresent(out::add);
    }
    out.sort(Comparator.comparing(Blob::lastUsed));
    return out;
  }

  @Override
  public long usage(AgentId owner) {
    byte[] bytes = link.call(() -> link.sync().hget(link.key("bu"), Codec.utf8(owner.value())));
    return bytes == null ? 0 : Math.max(0, Long.parseLong(Codec.text(bytes)));
  }

  @Override
  public Map<AgentId, Long> usage() {
    Map<AgentId, Long> out = new HashMap<>();
    link.call(() -> link.sync().hgetall(link.key("bu")))
        .forEach(
            (owner, bytes) -> {
              long n = Long.parseLong(Codec.text(bytes));
              if (n > 0) {
                out.put(AgentId.of(Codec.text(owner)), n);
              }
            });
    return out;
  }

  /** Nothing to release: the connection is the storage's, which closes it. */
  @Override
  public void close() {}

  private byte[] meta(BlobId id) {
    return link.key("b:" + id.value());
  }
}
