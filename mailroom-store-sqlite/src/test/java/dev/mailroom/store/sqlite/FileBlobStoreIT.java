package dev.mailroom.store.sqlite;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.StorageFault;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.blob.PartChecksum;
import dev.mailroom.core.blob.PartCopy;
import dev.mailroom.testkit.SmallDisk;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file blob store does beyond the contract: it cleans up after a crash when it opens,
 * applies each upload's log to its record and keeps that log short, takes the SHA-256 of parts in
 * any order and sent again, keeps a large blob written in parallel parts, keeps any file name, and
 * refuses a part on a full disk without recording it (on a small disk the test mounts, {@link
 * SmallDisk}; needs root, else that test is skipped).
 */
@Timeout(value = 120, unit = SECONDS)
class FileBlobStoreIT {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final long QUOTA = 1L << 30;
  private static final int PART = 64 << 10;

  @TempDir Path tmp;
  private final Random random = new Random(7);
  private final Instant now = Instant.parse("2030-01-01T00:00:00Z");
  private final List<FileBlobStore> opened = new ArrayList<>();
  private @Nullable SmallDisk disk;

  @AfterEach
  void closeEverything() {
    try {
      opened.forEach(FileBlobStore::close);
    } finally {
      if (disk != null) {
        disk.close();
      }
    }
  }

  private FileBlobStore open(Path dir) {
    FileBlobStore store = FileBlobStore.open(dir);
    opened.add(store);
    return store;
  }

  @Test
  void openingDeletesBytesWithoutARecordAndTemporaryFilesAsACrashLeavesThem() throws Exception {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    byte[] data = bytes(3 * PART + 5);
    Blob kept = upload(store, data, PART);
    Blob removing = upload(store, bytes(PART), PART);
    store.close();
    // A crash between the two deletes of a removal: the record is gone, the bytes are not.
    Files.delete(dir.resolve(removing.id() + BlobFiles.META));
    // And one while a record was being replaced, and one of some earlier upload's bytes.
    Path temporary = dir.resolve(kept.id() + BlobFiles.META + BlobFiles.TEMP);
    Files.writeString(temporary, "half a rec");
    Path orphan = dir.resolve(BlobId.random() + BlobFiles.DATA);
    Files.write(orphan, bytes(100));

    FileBlobStore again = open(dir);

    assertThat(dir.resolve(removing.id() + BlobFiles.DATA)).doesNotExist();
    assertThat(temporary).doesNotExist();
    assertThat(orphan).doesNotExist();
    assertThat(again.find(removing.id())).isEmpty();
    assertThat(again.find(kept.id())).contains(kept);
    assertThat(read(again, kept.id(), 0, data.length)).isEqualTo(data);
    assertThat(again.usage(ALICE)).isEqualTo(data.length);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(kept.id() + BlobFiles.META, kept.id() + BlobFiles.DATA);
    }
  }

  @Test
  void anOpenUploadsLogIsAppliedWhenTheStoreOpensUpToALineACrashCutShort() throws Exception {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    byte[] data = bytes(4 * PART);
    Blob upload = create(store, data.length, PART, Optional.of(sha256(data)));
    put(store, upload, 2, data);
    put(store, upload, 0, bytes(4 * PART)); // other bytes, sent again below
    put(store, upload, 0, data);
    Blob before = put(store, upload, 3, data);
    store.close();
    Path log = dir.resolve(upload.id() + BlobFiles.LOG_FILE);
    assertThat(Files.readAllLines(log))
        .extracting(l -> l.substring(0, 6))
        .containsExactly("part 2", "part 0", "drop 0", "part 0", "part 3");
    // A crash in the middle of recording part 1.
    Files.writeString(log, "part 1 65536 ab", StandardOpenOption.APPEND);

    FileBlobStore again = open(dir);

    assertThat(again.find(upload.id())).contains(before);
    assertThat(log).doesNotExist();
    assertThat(BlobRecords.decode(Files.readAllBytes(dir.resolve(upload.id() + BlobFiles.META))))
        .isEqualTo(before);
    put(again, upload, 1, data);
    Blob done = again.complete(upload.id(), now);
    assertThat(done.sha256()).contains(sha256(data));
    assertThat(read(again, done.id(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void aLogLeftBesideTheRecordThatHoldsItChangesNothing() throws Exception {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    byte[] data = bytes(2 * PART);
    Blob upload = create(store, data.length, PART, Optional.empty());
    put(store, upload, 1, data);
    put(store, upload, 0, data);
    Path log = dir.resolve(upload.id() + BlobFiles.LOG_FILE);
    byte[] partsLog = Files.readAllBytes(log);
    Blob done = store.complete(upload.id(), now.plusSeconds(5));
    assertThat(log).doesNotExist();
    assertThat(store.touch(done.id(), now.plusSeconds(9))).isTrue();
    byte[] usedLog = Files.readAllBytes(log);
    store.close();
    // A crash right after the completion wrote the record, before it deleted the log of parts.
    Files.write(log, partsLog);
    Files.write(log, usedLog, StandardOpenOption.APPEND);

    FileBlobStore again = open(dir);

    assertThat(again.find(done.id())).contains(done.usedAt(now.plusSeconds(9)));
    assertThat(read(again, done.id(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void aLongLogIsWrittenIntoTheRecordAndStartsAgain() throws Exception {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    Blob blob = upload(store, bytes(PART), PART);
    Path log = dir.resolve(blob.id() + BlobFiles.LOG_FILE);
    Instant last = now;
    for (int i = 1; i <= FileBlobStore.LOG_LINES + 3; i++) {
      last = now.plusMillis(i);
      assertThat(store.touch(blob.id(), last)).isTrue();
    }

    assertThat(Files.readAllLines(log)).hasSize(3);
    assertThat(BlobRecords.decode(Files.readAllBytes(dir.resolve(blob.id() + BlobFiles.META))))
        .isEqualTo(blob.usedAt(now.plusMillis(FileBlobStore.LOG_LINES)));
    store.close();
    assertThat(open(dir).find(blob.id())).contains(blob.usedAt(last));
  }

  @Test
  void theSha256TakenAsPartsArriveIsTheBytesWhateverTheirOrderAndRetries() throws Exception {
    FileBlobStore store = open(tmp.resolve("blobs"));
    int parts = 24;
    byte[] data = bytes(parts * PART - 77);
    Blob upload = create(store, data.length, PART, Optional.of(sha256(data)));
    byte[] other = bytes(data.length);
    List<Integer> order = new ArrayList<>();
    for (int n = 0; n < parts; n++) {
      order.add(n);
    }
    java.util.Collections.shuffle(order, random);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Blob>> writes = new ArrayList<>();
      for (int n : order) {
        writes.add(
            pool.submit(
                () -> {
                  // Every third part first arrives with other bytes, then right: the digest must
                  // not keep what it hashed of the first.
                  if (n % 3 == 0) {
                    put(store, upload, n, other);
                  }
                  return put(store, upload, n, data);
                }));
      }
      for (Future<Blob> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(store.complete(upload.id(), now).sha256()).contains(sha256(data));
  }

  @Test
  void aCompletionRefusedForItsSha256CanBeMadeRightBySendingAPartAgain() {
    FileBlobStore store = open(tmp.resolve("blobs"));
    byte[] data = bytes(3 * PART);
    Blob upload = create(store, data.length, PART, Optional.of(sha256(data)));
    put(store, upload, 0, data);
    put(store, upload, 1, bytes(3 * PART));
    put(store, upload, 2, data);

    assertThatThrownBy(() -> store.complete(upload.id(), now))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    assertThatThrownBy(() -> store.complete(upload.id(), now))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    put(store, upload, 1, data);

    assertThat(store.complete(upload.id(), now).sha256()).contains(sha256(data));
  }

  @Test
  void aRecordThatCannotBeReadIsLeftAloneWithItsBytes() throws Exception {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    Blob blob = upload(store, bytes(PART), PART);
    store.close();
    Path meta = dir.resolve(blob.id() + BlobFiles.META);
    Files.writeString(meta, "not a record");

    FileBlobStore again = open(dir);

    assertThat(again.find(blob.id())).isEmpty();
    assertThat(meta).exists();
    assertThat(dir.resolve(blob.id() + BlobFiles.DATA)).exists();
  }

  @Test
  void aLargeBlobWrittenInParallelPartsReadsBackEqual() throws Exception {
    FileBlobStore store = open(tmp.resolve("blobs"));
    int partSize = 5 << 20;
    byte[] data = bytes(4 * partSize);
    Blob upload = create(store, data.length, partSize, Optional.of(sha256(data)));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Blob>> writes = new ArrayList<>();
      for (int n = 0; n < 4; n++) {
        int part = n;
        writes.add(pool.submit(() -> put(store, upload, part, data)));
      }
      for (Future<Blob> w : writes) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }

    Blob done = store.complete(upload.id(), now);
    assertThat(done.sha256()).contains(sha256(data));
    assertThat(read(store, done.id(), 0, data.length)).isEqualTo(data);
    // A range across two parts, read a buffer at a time.
    int from = partSize - 1000;
    assertThat(read(store, done.id(), from, 3000))
        .isEqualTo(Arrays.copyOfRange(data, from, from + 3000));
  }

  @Test
  void aNameOfAnyCharactersComesBackAfterAReopen() {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    String name = " ünïcode = name: #1 \t\\ 日本語.txt ";
    Blob upload =
        Blob.open(
            BlobId.random(),
            ALICE,
            name,
            "text/plain",
            10,
            PART,
            Optional.of("ab".repeat(32)),
            now);
    store.create(upload, QUOTA);
    store.close();

    assertThat(open(dir).find(upload.id())).contains(upload);
  }

  @Test
  void aPartOnAFullDiskIsRefusedNamingItAndNotRecordedAndTakenOnceSpaceIsFree() {
    disk = SmallDisk.tmpfs(tmp.resolve("disk"), 8);
    FileBlobStore store = open(disk.dir().resolve("blobs"));
    byte[] data = bytes(2 * PART);
    Blob upload = create(store, data.length, PART, Optional.empty());
    put(store, upload, 0, data);

    disk.fill();
    assertThatThrownBy(() -> put(store, upload, 1, data))
        .isInstanceOfSatisfying(
            MailroomException.Unavailable.class,
            e -> {
              assertThat(e.fault()).contains(StorageFault.DISK_FULL);
              assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
              assertThat(e).hasMessageStartingWith("the data directory's disk is full");
              assertThat(e.getMessage()).doesNotContain(disk.dir().toString());
              assertThat(e.getCause()).isNull();
            });
    assertThat(store.find(upload.id()).orElseThrow().parts())
        .extracting(Blob.Part::n)
        .containsExactly(0);
    assertThat(store.fault()).contains(StorageFault.DISK_FULL);

    disk.free();
    put(store, upload, 1, data);
    assertThat(store.fault()).isEmpty();
    assertThat(read(store, store.complete(upload.id(), now).id(), 0, data.length)).isEqualTo(data);
  }

  @Test
  void anUploadRemovedWhileAPartIsWrittenLeavesNoBytesBehind() throws Exception {
    Path dir = tmp.resolve("blobs");
    FileBlobStore store = open(dir);
    byte[] data = bytes(PART);
    Blob upload = create(store, data.length, PART, Optional.empty());
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch removed = new CountDownLatch(1);
    InputStream slow =
        new FilterInputStream(new ByteArrayInputStream(data)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            reading.countDown();
            try {
              removed.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
            return super.read(b, off, len);
          }
        };
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<Blob> write =
          writer.submit(() -> store.writePart(upload.id(), 0, slow, checks(data), now));
      assertThat(reading.await(10, SECONDS)).isTrue();

      assertThat(store.remove(upload.id(), now.plusSeconds(1))).isTrue();
      removed.countDown();

      assertThatThrownBy(write::get).hasCauseInstanceOf(MailroomException.NotFound.class);
    } finally {
      writer.shutdown();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
    assertThat(store.usage(ALICE)).isZero();
  }

  @Test
  void aBodyThatBreaksOffIsTheCallersErrorNotTheStores() {
    FileBlobStore store = open(tmp.resolve("blobs"));
    Blob upload = create(store, PART, PART, Optional.empty());
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };

    assertThatThrownBy(
            () ->
                store.writePart(
                    upload.id(), 0, broken, List.of(PartChecksum.sha256("ab".repeat(32))), now))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("connection reset");
    assertThat(store.fault()).isEmpty();
  }

  // ---- helpers

  private Blob create(FileBlobStore store, long size, int partSize, Optional<String> sha256) {
    Blob upload =
        Blob.open(
            BlobId.random(),
            ALICE,
            "file.bin",
            "application/octet-stream",
            size,
            partSize,
            sha256,
            now);
    store.create(upload, QUOTA);
    return upload;
  }

  private Blob upload(FileBlobStore store, byte[] data, int partSize) {
    Blob upload = create(store, data.length, partSize, Optional.empty());
    for (int n = 0; n < upload.partCount(); n++) {
      put(store, upload, n, data);
    }
    return store.complete(upload.id(), now);
  }

  private Blob put(FileBlobStore store, Blob upload, int n, byte[] data) {
    int from = (int) upload.partOffset(n);
    byte[] part = Arrays.copyOfRange(data, from, from + (int) upload.partLength(n));
    return store.writePart(upload.id(), n, new ByteArrayInputStream(part), checks(part), now);
  }

  private static byte[] read(FileBlobStore store, BlobId id, long offset, long length) {
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

  private static List<PartChecksum> checks(byte[] part) {
    return List.of(PartChecksum.sha256(sha256(part)));
  }

  private static String sha256(byte[] data) {
    return HexFormat.of().formatHex(PartCopy.sha256().digest(data));
  }
}
