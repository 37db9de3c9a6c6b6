package dev.mailroom.testkit;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobErrors;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.blob.PartCopy;
import dev.mailroom.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference blob store: every part in memory, under one lock. For tests only; the suite's
 * {@link BlobStoreContract} holds it to the same rules as the real stores.
 */
public final class MemoryBlobStore implements BlobStore {
  private final Map<BlobId, Blob> blobs = new HashMap<>();
  private final Map<BlobId, TreeMap<Integer, byte[]>> bytes = new HashMap<>();

  @Override
  public synchronized void create(Blob upload, long quota) {
    long used = usage(upload.owner());
    if (used + upload.size() > quota) {
      throw BlobErrors.quotaExceeded(upload, used, quota);
    }
    blobs.put(upload.id(), upload);
    bytes.put(upload.id(), new TreeMap<>());
  }

  @Override
  public synchronized Optional<Blob> find(BlobId id) {
    return Optional.ofNullable(blobs.get(id));
  }

  @Override
  public Blob writePart(
      BlobId id, int n, InputStream body, List<PartChecksum> expected, Instant now) {
    Blob upload = openUpload(id);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    synchronized (this) {
      forgetPart(id, n);
    }
    PartChecksum actual;
    try {
      actual =
          PartCopy.copy(body, upload.partLength(n), expected, n, (b, len) -> out.write(b, 0, len));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (this) {
      Blob current = openUpload(id);
      bytes.get(id).put(n, out.toByteArray());
      Blob updated = current.withPart(new Blob.Part(n, out.size(), actual), now);
      blobs.put(id, updated);
      return updated;
    }
  }

  private void forgetPart(BlobId id, int n) {
    Blob current = blobs.get(id);
    if (current != null && !current.complete() && current.hasPart(n)) {
      blobs.put(id, current.withoutPart(n));
      bytes.get(id).remove(n);
    }
  }

  @Override
  public synchronized Blob complete(BlobId id, Instant now) {
    Blob upload = find(id).orElseThrow(() -> BlobErrors.notFound(id));
    if (upload.complete()) {
      return upload;
    }
    List<Integer> missing = upload.missingParts();
    if (!missing.isEmpty()) {
      throw BlobErrors.incomplete(upload, missing);
    }
    MessageDigest digest = PartCopy.sha256();
    bytes.get(id).values().forEach(digest::update);
    String sha256 = HexFormat.of().formatHex(digest.digest());
    if (upload.declaredSha256().isPresent() && !upload.declaredSha256().get().equals(sha256)) {
      throw BlobErrors.wrongSha256(upload, sha256);
    }
    Blob done = upload.completed(sha256, now);
    blobs.put(id, done);
    return done;
  }

  @Override
  public synchronized InputStream open(BlobId id, long offset, long length) {
    Blob blob = find(id).filter(Blob::complete).orElseThrow(() -> BlobErrors.notFound(id));
    if (offset < 0 || length < 0 || offset + length > blob.size()) {
      throw new IllegalArgumentException("range outside the blob");
    }
    List<InputStream> pieces = new ArrayList<>();
    for (Map.Entry<Integer, byte[]> e : bytes.get(id).entrySet()) {
      long start = blob.partOffset(e.getKey());
      long from = Math.max(offset, start);
      long to = Math.min(offset + length, start + e.getValue().length);
      if (from < to) {
        pieces.add(new ByteArrayInputStream(e.getValue(), (int) (from - start), (int) (to - from)));
      }
    }
    return new SequenceInputStream(Collections.enumeration(pieces));
  }

  @Override
  public synchronized boolean touch(BlobId id, Instant now) {
    Blob blob = blobs.get(id);
    if (blob == null || !blob.complete()) {
      return false;
    }
    blobs.put(id, blob.usedAt(now));
    return true;
  }

  @Override
  public synchronized boolean remove(BlobId id, Instant unusedBefore) {
    Blob blob = blobs.get(id);
    if (blob == null || !blob.lastUsed().isBefore(unusedBefore)) {
      return false;
    }
    blobs.remove(id);
    bytes.remove(id);
    return true;
  }

  @Override
  public synchronized List<Blob> unusedSince(boolean complete, Instant before, int max) {
    return blobs.values().stream()
        .filter(b -> b.complete() == complete && b.lastUsed().isBefore(before))
        .sorted(Comparator.comparing(Blob::lastUsed))
        .limit(max)
        .toList();
  }

  @Override
  public synchronized long usage(AgentId owner) {
    return blobs.values().stream().filter(b -> b.owner().equals(owner)).mapToLong(Blob::size).sum();
  }

  @Override
  public synchronized Map<AgentId, Long> usage() {
    Map<AgentId, Long> usage = new HashMap<>();
    blobs.values().forEach(b -> usage.merge(b.owner(), b.size(), Long::sum));
    return usage;
  }

  @Override
  public void close() {}

  private synchronized Blob openUpload(BlobId id) {
    Blob upload = find(id).orElseThrow(() -> BlobErrors.notFound(id));
    if (upload.complete()) {
      throw BlobErrors.alreadyComplete(id);
    }
    return upload;
  }
}
