package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.testkit.BlobStoreContract;
import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The blob store contract on a real Redis deployment, each test in a namespace of its own
 * (reopening connects to the same one again), and what the Redis store adds to it: the limit on the
 * bytes it holds, chunks that no refused write or removal leaves behind, and removals that a node
 * left half done.
 */
abstract class RedisBlobContract extends BlobStoreContract {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final List<RedisLink> links = new ArrayList<>();
  private final Random random = new Random(7);
  private String namespace = "unused";
  private RedisLink link;

  /** How a store of this suite reaches Redis, in the given namespace. */
  protected abstract RedisOptions options(String namespace);

  /** The servers that may hold the namespace's keys (a Cluster's masters). */
  protected abstract List<RedisServer> servers();

  /** The largest chunk the stores of this suite write. */
  protected int chunkSize() {
    return BlobChunks.CHUNK;
  }

  @Override
  protected final BlobStore createStore() {
    namespace = "blobs-" + UUID.randomUUID();
    return open(options(namespace));
  }

  @Override
  protected final Optional<BlobStore> reopen() {
    return Optional.of(open(options(namespace)));
  }

  private BlobStore open(RedisOptions options) {
    link = RedisLink.connect(options, InstantSource.system());
    links.add(link);
    return new RedisBlobStore(link, new Scripts(), options.maxBlobBytes(), chunkSize());
  }

  @AfterEach
  final void closeLinks() {
    links.forEach(RedisLink::close);
  }

  @Test
  void anUploadThatWouldFillTheRedisBlobStoreIsRefusedUntilRemovalsMakeRoom() {
    BlobStore full = open(options(namespace).withMaxBlobBytes(1_000));
    Blob first = upload(ALICE, 600);
    full.create(first, Long.MAX_VALUE);
    Blob second = upload(AgentId.of("bob"), 401);

    assertThatThrownBy(() -> full.create(second, Long.MAX_VALUE))
        .isInstanceOfSatisfying(
            MailroomException.LimitExceeded.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE))
        .hasMessageContaining("the Redis blob store is full")
        .hasMessageContaining("at most 1000");
    assertThat(full.find(second.id())).isEmpty();
    assertThat(full.remove(first.id(), T0.plusSeconds(1))).isTrue();
    full.create(second, Long.MAX_VALUE);
  }

  @Test
  void aRefusedPartAndARemovalLeaveNoChunkBehind() {
    byte[] data = bytes(3 * PART + 5);
    Blob upload = upload(ALICE, data.length);
    store().create(upload, Long.MAX_VALUE);
    put(upload, 0, data);
    put(upload, 1, data);
    byte[] wrong = bytes(PART);
    assertThatThrownBy(
            () ->
                store()
                    .writePart(
                        upload.id(),
                        1,
                        new ByteArrayInputStream(wrong),
                        checks(Arrays.copyOfRange(data, PART, 2 * PART)),
                        T0))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    put(upload, 0, data);

    assertThat(chunkKeys()).isEqualTo(chunksOf(PART));
    assertThat(store().remove(upload.id(), T0.plusSeconds(10))).isTrue();
    assertThat(chunkKeys()).isZero();
  }

  @Test
  void aRemovalLeftHalfDoneNeverReadsAsABlobAndIsFinishedLater() {
    byte[] data = bytes(2 * PART + 1);
    Blob blob = complete(upload(ALICE, data.length), data);
    // A node marks it for removal and dies before it deletes anything.
    Long marked =
        link.run(
            new Scripts().blobRemove(),
            ScriptOutputType.INTEGER,
            blob.id().value(),
            BlobRecord.stamp(T0.plusSeconds(10)));
    assertThat(marked).isEqualTo(1L);

    assertThat(store().find(blob.id())).isEmpty();
    assertThatThrownBy(() -> store().open(blob.id(), 0, 1))
        .isInstanceOf(MailroomException.NotFound.class);
    assertThat(store().touch(blob.id(), T0.plusSeconds(20))).isFalse();
    assertThat(store().usage(ALICE)).isZero();
    assertThat(chunkKeys()).isEqualTo(chunksOf(PART) * 2 + chunksOf(1));

    assertThat(store().unusedSince(true, T0.plusSeconds(30), 10)).isEmpty();
    assertThat(chunkKeys()).isZero();
    assertThat(link.call(() -> link.sync().exists(link.key("b:" + blob.id())))).isZero();
    assertThat(store().remove(blob.id(), T0.plusSeconds(40))).isFalse();
  }

  @Test
  void twoWritesOfOnePartAtOnceLeaveEitherPartWholeOrNone() {
    byte[] data = bytes(2 * PART);
    byte[] right = Arrays.copyOfRange(data, 0, PART);
    for (int round = 0; round < 10; round++) {
      Blob upload = upload(ALICE, data.length);
      store().create(upload, Long.MAX_VALUE);
      put(upload, 1, data);
      CompletableFuture<?> good =
          CompletableFuture.runAsync(
              () ->
                  store()
                      .writePart(
                          upload.id(), 0, new ByteArrayInputStream(right), checks(right), T0));
      CompletableFuture<?> bad =
          CompletableFuture.runAsync(
              () ->
                  store()
                      .writePart(
                          upload.id(),
                          0,
                          new ByteArrayInputStream(bytes(PART)),
                          checks(right),
                          T0));
      good.join();
      assertThatThrownBy(bad::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(MailroomException.InvalidRequest.class);

      Blob found = store().find(upload.id()).orElseThrow();
      if (found.missingParts().isEmpty()) {
        Blob done = store().complete(upload.id(), T0);
        assertThat(read(done.id(), data.length)).isEqualTo(data);
      } else {
        assertThat(found.missingParts()).containsExactly(0);
      }
      assertThat(store().remove(upload.id(), T0.plusSeconds(10))).isTrue();
      assertThat(chunkKeys()).isZero();
    }
  }

  // ---- helpers

  private static Blob upload(AgentId owner, long size) {
    return Blob.open(
        BlobId.random(),
        owner,
        "file.bin",
        "application/octet-stream",
        size,
        PART,
        Optional.empty(),
        T0);
  }

  /** Stores every part of an upload and completes it. */
  private Blob complete(Blob upload, byte[] data) {
    store().create(upload, Long.MAX_VALUE);
    for (int n = 0; n < upload.partCount(); n++) {
      put(upload, n, data);
    }
    return store().complete(upload.id(), T0);
  }

  private void put(Blob upload, int n, byte[] data) {
    byte[] part = Arrays.copyOfRange(data, n * PART, Math.min(data.length, (n + 1) * PART));
    store().writePart(upload.id(), n, new ByteArrayInputStream(part), checks(part), T0);
  }

  private byte[] read(BlobId id, long length) {
    try (InputStream in = store().open(id, 0, length)) {
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

  /** How many chunks a part of {@code length} bytes takes. */
  private int chunksOf(long length) {
    return (int) ((length + chunkSize() - 1) / chunkSize());
  }

  /** How many chunk keys of this test's namespace the servers hold. */
  protected final long chunkKeys() {
    long n = 0;
    for (RedisServer server : servers()) {
      n +=
          Nodes.on(
              server,
              c -> {
                long found = 0;
                ScanCursor cursor = ScanCursor.INITIAL;
                ScanArgs match = ScanArgs.Builder.matches("{" + namespace + ":b:*").limit(1_000);
                do {
                  KeyScanCursor<String> page = c.sync().scan(cursor, match);
                  found += page.getKeys().size();
                  cursor = page;
                } while (!cursor.isFinished());
                return found;
              });
    }
    return n;
  }
}
