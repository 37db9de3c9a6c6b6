package dev.mailroom.core.blob;

import dev.mailroom.core.AgentId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An upload as its store keeps it: open while its parts arrive, complete (a blob messages may
 * carry) once {@code sha256} is known. Its bytes are cut into {@link #partCount()} parts of {@code
 * partSize} bytes, the last one shorter; part {@code n} (from 0) holds bytes {@code n * partSize}
 * on.
 *
 * @param id the upload's id, which stays the blob's
 * @param owner the agent that uploads it; only it may add parts, complete it and attach it
 * @param name the file name given at creation
 * @param contentType the media type given at creation
 * @param size the declared size in bytes, which the parts must add up to
 * @param partSize the size of every part but the last
 * @param declaredSha256 the SHA-256 the uploader declared, checked on completion
 * @param sha256 the SHA-256 of the bytes, present exactly when complete
 * @param parts the parts received, put in order of their numbers; one part per number
 * @param createdAt when the upload began
 * @param lastUsed when a part last arrived, it was completed or a send last attached it
 */
public record Blob(
    BlobId id,
    AgentId owner,
    String name,
    String contentType,
    long size,
    int partSize,
    Optional<String> declaredSha256,
    Optional<String> sha256,
    List<Part> parts,
    Instant createdAt,
    Instant lastUsed) {

  /** One part received: its number, its length and its SHA-256 (hex). */
  public record Part(int n, long size, PartChecksum checksum) {
    public Part {
      Objects.requireNonNull(checksum, "checksum");
    }
  }

  public Blob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(declaredSha256, "declaredSha256");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsed, "lastUsed");
    parts = parts.stream().sorted(Comparator.comparingInt(Part::n)).toList();
    for (int i = 1; i < parts.size(); i++) {
      if (parts.get(i).n() == parts.get(i - 1).n()) {
        throw new IllegalArgumentException("part " + parts.get(i).n() + " is listed twice");
      }
    }
    if (size < 0 || partSize < 1) {
      throw new IllegalArgumentException("size must not be negative, part size must be positive");
    }
  }

  /** A new, empty upload. */
  public static Blob open(
      BlobId id,
      AgentId owner,
      String name,
      String contentType,
      long size,
      int partSize,
      Optional<String> declaredSha256,
      Instant now) {
    return new Blob(
        id,
        owner,
        name,
        contentType,
        size,
        partSize,
        declaredSha256,
        Optional.empty(),
        List.of(),
        now,
        now);
  }

  /**
   * This upload with part {@code part} recorded (replacing an earlier one), used at {@code now}.
   */
  public Blob withPart(Part part, Instant now) {
    List<Part> changed = new ArrayList<>(parts.size() + 1);
    parts.stream().filter(p -> p.n() != part.n()).forEach(changed::add);
    changed.add(part);
    return with(sha256, changed, now);
  }

  /** This upload without part {@code n}; its last use unchanged. */
  public Blob withoutPart(int n) {
    return with(sha256, parts.stream().filter(p -> p.n() != n).toList(), lastUsed);
  }

  /** This upload completed: a blob of bytes with this SHA-256, used at {@code now}. */
  public Blob completed(String sha256, Instant now) {
    return with(Optional.of(sha256), parts, now);
  }

  /** This upload or blob used at {@code now}. */
  public Blob usedAt(Instant now) {
    return with(sha256, parts, now);
  }

  /** Whether part {@code n} has been received. */
  public boolean hasPart(int n) {
    return part(n).isPresent();
  }

  /** Part {@code n}, if it has been received. */
  public Optional<Part> part(int n) {
    int low = 0;
    int high = parts.size() - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int m = parts.get(middle).n();
      if (m == n) {
        return Optional.of(parts.get(middle));
      } else if (m < n) {
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return Optional.empty();
  }

  private Blob with(Optional<String> sha256, List<Part> parts, Instant lastUsed) {
    return new Blob(
        id,
        owner,
        name,
        contentType,
        size,
        partSize,
        declaredSha256,
        sha256,
        parts,
        createdAt,
        lastUsed);
  }

  /** Whether the upload is complete, a blob. */
  public boolean complete() {
    return sha256.isPresent();
  }

  /** How many parts the bytes are cut into (none for an empty upload). */
  public int partCount() {
    return partCount(size, partSize);
  }

  /** How many parts of {@code partSize} bytes hold {@code size} bytes. */
  public static int partCount(long size, int partSize) {
    return (int) ((size + partSize - 1) / partSize);
  }

  /** Where part {@code n} begins. */
  public long partOffset(int n) {
    return (long) n * partSize;
  }

  /** How many bytes part {@code n} holds. */
  public long partLength(int n) {
    if (n < 0 || n >= partCount()) {
      throw new IndexOutOfBoundsException("part " + n + " of " + partCount());
    }
    return Math.min(partSize, size - partOffset(n));
  }

  /** The numbers of the parts not yet received, in order. */
  public List<Integer> missingParts() {
    boolean[] have = new boolean[partCount()];
    parts.forEach(p -> have[p.n()] = true);
    List<Integer> missing = new ArrayList<>();
    for (int n = 0; n < have.length; n++) {
      if (!have[n]) {
        missing.add(n);
      }
    }
    return missing;
  }

  /** The attachment this blob makes under the given name and type (its own when empty). */
  public Attachment attachment(Optional<String> name, Optional<String> contentType) {
    return new Attachment(
        id,
        name.orElse(this.name),
        contentType.orElse(this.contentType),
        size,
        sha256.orElseThrow());
  }
}
