package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.BlobLimits;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.blob.PartCopy;
import dev.mailroom.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link BlobStore} keeps, written once. A store runs it by subclassing:
 *
 * <pre>{@code
 * class FileBlobStoreContractTest extends BlobStoreContract {
 *   protected BlobStore createStore() { return FileBlobStore.open(tempDir); }
 * }
 * }</pre>
 *
 * <p>Parts are {@link BlobLimits#MIN_PART_SIZE} bytes, so that a few hundred KiB make several.
 */
public abstract class BlobStoreContract {
  protected static final int PART = BlobLimits.MIN_PART_SIZE;
  private static final long QUOTA = 1L << 30;
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");

  private final Random random = new Random(42);
  private Instant now = Instant.parse("2026-12-01T10:00:00Z");
  private BlobStore store;

  /** A new, empty store. */
  protected abstract BlobStore createStore();

  /**
   * The same store's data opened again after {@link BlobStore#close()}, or empty if this store
   * keeps nothing across a close (its reopen case is then skipped).
   */
  protected Optional<BlobStore> reopen() {
    return Optional.empty();
  }

  @BeforeEach
  final void open() {
    store = createStore();
  }

  @AfterEach
  final void close() {
    store.close();
  }

  // ---- uploads

  @Test
  void aNewUploadIsOpenWithNoPartsAndCountsAgainstItsOwner() {
    Blob upload = create(ALICE, 3 * PART + 10);

    Blob found = store.find(upload.id()).orElseThrow();
    assertThat(found).isEqualTo(upload);
    assertThat(found.complete()).isFalse();
    assertThat(found.partCount()).isEqualTo(4);
    assertThat(store.usage(ALICE)).isEqualTo(3 * PART + 10);
    assertThat(store.usage(BOB)).isZero();
    assertThat(store.usage()).containsEntry(ALICE, 3L * PART + 10).doesNotContainKey(BOB);
    assertThat(store.find(BlobId.random())).isEmpty();
  }

  @Test
  void anUploadOverTheQuotaIsRefusedAndRecordsNothing() {
    create(ALICE, 600, 1_000);
    Blob second =
        Blob.open(
            BlobId.random(),
            ALICE,
            "b.bin",
            "application/octet-stream",
            401,
            PART,
            Optional.empty(),
            now);

    assertThatThrownBy(() -> store.create(second, 1_000))
        .isInstanceOfSatisfying(
            MailroomException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    assertThat(store.find(second.id())).isEmpty();
    assertThat(store.usage(ALICE)).isEqualTo(600);
    create(BOB, 1_000, 1_000);
  }

  @Test
  void partsArriveInAnyOrderAndTheBlobReadsBackWhole() {
    byte[] data = bytes(3 * PART + 123);
    Blob upload = create(ALICE, data.length);
    for (int n : new int[] {3, 0, 2, 1}) {
      put(upload, n, data);
    }

    Blob found = store.find(upload.id()).orElseThrow();
    assertThat(found.parts()).extracting(Blob.Part::n).containsExactly(0, 1, 2, 3);
    assertThat(found.parts().get(3).size()).isEqualTo(123);
    Blob done = store.complete(upload.id(), tick());
    assertThat(done.complete()).isTrue();
    assertThat(done.sha256()).contains(sha256(data));
    assertThat(done.lastUsed()).isEqualTo(now);
    assertThat(read(done.id(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void aRetriedPartChangesNothing() {
    byte[] data = bytes(2 * PART);
    Blob upload = create(ALICE, data.length);
    put(upload, 0, data);
    put(upload, 1, data);
    put(upload, 0, data);

    assertThat(store.find(upload.id()).orElseThrow().parts()).hasSize(2);
    assertThat(read(store.complete(upload.id(), tick()).id(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void aPartWhoseBytesDoNotMatchItsChecksumIsRefusedNamingThePartAndNotRecorded() {
    byte[] data = bytes(2 * PART);
    Blob upload = create(ALICE, data.length);
    put(upload, 0, data);
    byte[] other = bytes(PART);

    assertThatThrownBy(
            () ->
                store.writePart(
                    upload.id(), 1, new ByteArrayInputStream(other), checks(part(data, 1)), tick()))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
              assertThat(e.errors().getFirst().field()).isEqualTo("parts[1]");
            });
    assertThat(store.find(upload.id()).orElseThrow().parts())
        .extracting(Blob.Part::n)
        .containsExactly(0);

    // A refused retry of a part already received takes the part back.
    assertThatThrownBy(
            () ->
                store.writePart(
                    upload.id(), 0, new ByteArrayInputStream(other), checks(part(data, 0)), tick()))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    assertThat(store.find(upload.id()).orElseThrow().parts()).isEmpty();
  }

  @Test
  void partsCheckedByCrc32cAreRecordedSoAndTheBlobHasTheFilesSha256() {
    byte[] data = bytes(3 * PART + 5);
    Blob upload = create(ALICE, data.length);
    for (int n : new int[] {2, 0, 3, 1}) {
      byte[] part = part(data, n);
      Blob after =
          store.writePart(
              upload.id(), n, new ByteArrayInputStream(part), List.of(crc32c(part)), tick());
      assertThat(after.part(n).orElseThrow().checksum()).isEqualTo(crc32c(part));
    }
    // A part sent again with other bytes, and their own CRC-32C, replaces the first.
    byte[] changed = data.clone();
    changed[PART + 1] ^= 0x5a;
    byte[] part1 = part(changed, 1);
    store.writePart(
        upload.id(), 1, new ByteArrayInputStream(part1), List.of(crc32c(part1)), tick());

    Blob done = store.complete(upload.id(), tick());
    assertThat(done.sha256()).contains(sha256(changed));
    assertThat(read(done.id(), 0, changed.length)).isEqualTo(changed);
  }

  @Test
  void aPartGivenBothChecksumsIsRefusedWhenEitherIsWrongAndRecordedUnderItsSha256() {
    byte[] data = bytes(2 * PART);
    Blob upload = create(ALICE, data.length);
    byte[] part0 = part(data, 0);
    byte[] part1 = part(data, 1);
    assertThatThrownBy(
            () ->
                store.writePart(
                    upload.id(),
                    0,
                    new ByteArrayInputStream(part0),
                    List.of(crc32c(part1), checks(part0).getFirst()),
                    tick()))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
              assertThat(e.errors().getFirst().field()).isEqualTo("parts[0]");
            });
    assertThat(store.find(upload.id()).orElseThrow().parts()).isEmpty();

    Blob after =
        store.writePart(
            upload.id(),
            0,
            new ByteArrayInputStream(part0),
            List.of(crc32c(part0), checks(part0).getFirst()),
            tick());
    assertThat(after.part(0).orElseThrow().checksum()).isEqualTo(checks(part0).getFirst());
  }

  @Test
  void aPartLongerOrShorterThanItsPlaceIsRefused() {
    byte[] data = bytes(PART + 10);
    Blob upload = create(ALICE, data.length);
    byte[] tooLong = Arrays.copyOf(data, 11);
    byte[] tooShort = Arrays.copyOf(data, PART - 1);

    assertThatThrownBy(
            () ->
                store.writePart(
                    upload.id(),
                    1,
                    new ByteArrayInputStream(tooLong),
                    checks(Arrays.copyOf(tooLong, 10)),
                    tick()))
        .isInstanceOfSatisfying(
            MailroomException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    assertThatThrownBy(
            () ->
                store.writePart(
                    upload.id(), 0, new ByteArrayInputStream(tooShort), checks(tooShort), tick()))
        .isInstanceOfSatisfying(
            MailroomException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
    assertThat(store.find(upload.id()).orElseThrow().parts()).isEmpty();
  }

  @Test
  void aBodyThatBreaksOffRecordsNoPart() {
    byte[] data = bytes(PART);
    Blob upload = create(ALICE, data.length);
    InputStream breaking =
        new InputStream() {
          int left = PART / 2;

          @Override
          public int read() throws IOException {
            if (left == 0) {
              throw new IOException("connection reset");
            }
            left--;
            return 7;
          }
        };

    assertThatThrownBy(() -> store.writePart(upload.id(), 0, breaking, checks(data), tick()))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(store.find(upload.id()).orElseThrow().parts()).isEmpty();
    put(upload, 0, data);
    assertThat(read(store.complete(upload.id(), tick()).id(), 0, PART)).isEqualTo(data);
  }

  @Test
  void anUploadLackingPartsCannotCompleteAndSaysWhichAreMissing() {
    byte[] data = bytes(3 * PART);
    Blob upload = create(ALICE, data.length);
    put(upload, 1, data);

    assertThatThrownBy(() -> store.complete(upload.id(), tick()))
        .isInstanceOf(MailroomException.Conflict.class)
        .hasMessageContaining("[0, 2]");
    assertThat(store.find(upload.id()).orElseThrow().complete()).isFalse();
  }

  @Test
  void bytesThatAreNotTheDeclaredOnesDoNotComplete() {
    byte[] data = bytes(PART + 5);
    Blob upload =
        Blob.open(
            BlobId.random(),
            ALICE,
            "x.bin",
            "application/octet-stream",
            data.length,
            PART,
            Optional.of(sha256(bytes(7))),
            now);
    store.create(upload, QUOTA);
    put(upload, 0, data);
    put(upload, 1, data);

    assertThatThrownBy(() -> store.complete(upload.id(), tick()))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CHECKSUM_MISMATCH);
              assertThat(e.errors().getFirst().field()).isEqualTo("sha256");
            });
    assertThat(store.find(upload.id()).orElseThrow().complete()).isFalse();
  }

  @Test
  void theDeclaredChecksumCompletesAndCompletingAgainChangesNothing() {
    byte[] data = bytes(PART + 5);
    Blob upload =
        Blob.open(
            BlobId.random(),
            ALICE,
            "x.bin",
            "application/octet-stream",
            data.length,
            PART,
            Optional.of(sha256(data)),
            now);
    store.create(upload, QUOTA);
    put(upload, 1, data);
    put(upload, 0, data);
    Blob done = store.complete(upload.id(), tick());
    tick();

    assertThat(store.complete(upload.id(), now)).isEqualTo(done);
    assertThatThrownBy(() -> put(upload, 0, data)).isInstanceOf(MailroomException.Conflict.class);
  }

  @Test
  void anEmptyUploadCompletesWithNoParts() {
    Blob upload = create(ALICE, 0);

    Blob done = store.complete(upload.id(), tick());
    assertThat(done.sha256()).contains(sha256(new byte[0]));
    assertThat(read(done.id(), 0, 0)).isEmpty();
  }

  @Test
  void aBlobReadsByRange() {
    byte[] data = bytes(3 * PART + 77);
    Blob blob = upload(ALICE, data);

    assertThat(read(blob.id(), 0, 1)).containsExactly(data[0]);
    assertThat(read(blob.id(), PART - 3, 10))
        .isEqualTo(Arrays.copyOfRange(data, PART - 3, PART + 7));
    assertThat(read(blob.id(), PART, 2 * PART)).isEqualTo(Arrays.copyOfRange(data, PART, 3 * PART));
    assertThat(read(blob.id(), data.length - 1, 1)).containsExactly(data[data.length - 1]);
    assertThat(read(blob.id(), 5, 0)).isEmpty();
  }

  @Test
  void anOpenUploadCannotBeRead() {
    Blob upload = create(ALICE, 10);

    assertThatThrownBy(() -> store.open(upload.id(), 0, 10))
        .isInstanceOf(MailroomException.NotFound.class);
    assertThatThrownBy(() -> store.open(BlobId.random(), 0, 1))
        .isInstanceOf(MailroomException.NotFound.class);
  }

  // ---- lifetime

  @Test
  void aTouchKeepsABlobFromARemovalThatComesAfterIt() {
    Blob blob = upload(ALICE, bytes(100));
    Instant cutoff = tick();
    assertThat(store.touch(blob.id(), now)).isTrue();

    assertThat(store.remove(blob.id(), cutoff)).isFalse();
    assertThat(store.find(blob.id())).isPresent();
    assertThat(store.remove(blob.id(), tick())).isTrue();
    assertThat(store.find(blob.id())).isEmpty();
    assertThat(store.touch(blob.id(), tick())).isFalse();
    assertThatThrownBy(() -> store.open(blob.id(), 0, 1))
        .isInstanceOf(MailroomException.NotFound.class);
  }

  @Test
  void removingGivesTheQuotaBack() {
    Blob blob = upload(ALICE, bytes(300));
    Blob open = create(ALICE, 200);
    assertThat(store.usage(ALICE)).isEqualTo(500);

    assertThat(store.remove(blob.id(), tick())).isTrue();
    assertThat(store.remove(open.id(), now)).isTrue();
    assertThat(store.remove(open.id(), now)).isFalse();
    assertThat(store.usage(ALICE)).isZero();
    assertThat(store.usage()).doesNotContainKey(ALICE);
  }

  @Test
  void unusedBlobsAndUploadsAreFoundApartOldestFirst() {
    Blob older = upload(ALICE, bytes(10));
    tick();
    Blob newer = upload(BOB, bytes(10));
    Blob open = create(ALICE, 10);
    Instant cutoff = tick();
    Blob fresh = upload(ALICE, bytes(10));

    assertThat(store.unusedSince(true, cutoff, 10))
        .extracting(Blob::id)
        .containsExactly(older.id(), newer.id());
    assertThat(store.unusedSince(true, cutoff, 1)).extracting(Blob::id).containsExactly(older.id());
    assertThat(store.unusedSince(false, cutoff, 10))
        .extracting(Blob::id)
        .containsExactly(open.id());
    assertThat(store.unusedSince(true, tick(), 10)).extracting(Blob::id).contains(fresh.id());
  }

  @Test
  void aPartMakesAnUploadUsedAgain() {
    byte[] data = bytes(2 * PART);
    Blob upload = create(ALICE, data.length);
    Instant cutoff = tick();
    put(upload, 0, data);

    assertThat(store.unusedSince(false, cutoff, 10)).isEmpty();
    assertThat(store.remove(upload.id(), cutoff)).isFalse();
  }

  @Test
  void partsOfOneUploadMayArriveAtOnce() throws Exception {
    byte[] data = bytes(8 * PART + 1);
    Blob upload = create(ALICE, data.length);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Blob>> writes =
          java.util.stream.IntStream.range(0, upload.partCount())
              .mapToObj(n -> pool.submit(() -> put(upload, n, data)))
              .toList();
      for (Future<Blob> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(store.find(upload.id()).orElseThrow().parts()).hasSize(9);
    assertThat(read(store.complete(upload.id(), tick()).id(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void uploadsAndBlobsSurviveAReopen() {
    byte[] data = bytes(2 * PART + 1);
    Blob blob = upload(ALICE, data);
    Blob open = create(BOB, 2 * PART);
    put(open, 1, bytes(2 * PART));
    store.close();
    Optional<BlobStore> reopened = reopen();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        reopened.isPresent(), "this store keeps nothing across a close");
    store = reopened.get();

    assertThat(store.find(blob.id())).contains(blob);
    assertThat(read(blob.id(), 0, data.length)).isEqualTo(data);
    assertThat(store.find(open.id()).orElseThrow().parts())
        .extracting(Blob.Part::n)
        .containsExactly(1);
    assertThat(store.usage(ALICE)).isEqualTo(data.length);
    assertThat(store.usage(BOB)).isEqualTo(2 * PART);
  }

  // ---- helpers

  protected final BlobStore store() {
    return store;
  }

  private Instant tick() {
    now = now.plus(Duration.ofSeconds(1));
    return now;
  }

  private Blob create(AgentId owner, long size) {
    return create(owner, size, QUOTA);
  }

  private Blob create(AgentId owner, long size, long quota) {
    Blob upload =
        Blob.open(
            BlobId.random(),
            owner,
            "file.bin",
            "application/octet-stream",
            size,
            PART,
            Optional.empty(),
            now);
    store.create(upload, quota);
    return upload;
  }

  /** A complete blob of these bytes. */
  private Blob upload(AgentId owner, byte[] data) {
    Blob upload = create(owner, data.length);
    for (int n = 0; n < upload.partCount(); n++) {
      put(upload, n, data);
    }
    return store.complete(upload.id(), tick());
  }

  private Blob put(Blob upload, int n, byte[] data) {
    byte[] part = part(data, n);
    return store.writePart(upload.id(), n, new ByteArrayInputStream(part), checks(part), tick());
  }

  private static byte[] part(byte[] data, int n) {
    int from = n * PART;
    return Arrays.copyOfRange(data, from, Math.min(data.length, from + PART));
  }

  private byte[] read(BlobId id, long offset, long length) {
    try (InputStream in = store.open(id, offset, length)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  protected static String sha256(byte[] data) {
    return HexFormat.of().formatHex(PartCopy.sha256().digest(data));
  }

  /** A part's checks as a client sending its SHA-256 gives them. */
  protected static List<PartChecksum> checks(byte[] part) {
    return List.of(PartChecksum.sha256(sha256(part)));
  }

  /** A part's CRC-32C, as a client sending it gives it. */
  protected static PartChecksum crc32c(byte[] part) {
    CRC32C crc = new CRC32C();
    crc.update(part);
    return PartChecksum.of(PartChecksum.Algorithm.CRC32C, PartCopy.crc32cBytes(crc.getValue()));
  }
}
