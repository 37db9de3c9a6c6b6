package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.blob.Blob;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.testkit.redis.RedisServer;
import dev.mailroom.testkit.redis.SharedRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.SlotHash;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The blob store contract on a Redis Cluster of 3 masters with a replica each (the shared one),
 * where one blob's chunks are spread over the masters.
 */
class RedisClusterBlobStoreContractIT extends RedisBlobContract {
  @Override
  protected RedisOptions options(String namespace) {
    return RedisOptions.of(SharedRedis.cluster().uri()).withNamespace(namespace);
  }

  @Override
  protected List<RedisServer> servers() {
    return SharedRedis.cluster().masters();
  }

  @Test
  void aBlobsChunksAreSpreadOverTheMasters() throws IOException {
    byte[] data = new byte[16 * PART];
    new Random(3).nextBytes(data);
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    Blob upload =
        Blob.open(
            BlobId.random(),
            AgentId.of("alice"),
            "big.bin",
            "application/octet-stream",
            data.length,
            PART,
            Optional.empty(),
            now);
    store().create(upload, Long.MAX_VALUE);
    for (int n = 0; n < upload.partCount(); n++) {
      byte[] part = Arrays.copyOfRange(data, n * PART, (n + 1) * PART);
      store().writePart(upload.id(), n, new ByteArrayInputStream(part), checks(part), now);
    }
    store().complete(upload.id(), now);

    Set<Integer> slots = new HashSet<>();
    int masters = 0;
    for (RedisServer master : servers()) {
      List<String> keys = chunkKeysOn(master, upload.id());
      keys.forEach(k -> slots.add(SlotHash.getSlot(k)));
      masters += keys.isEmpty() ? 0 : 1;
    }
    // Sixteen chunks, each in a slot of its own: all on one master is a chance of one in 3^15.
    assertThat(slots).hasSizeGreaterThan(8);
    assertThat(masters).isGreaterThan(1);
    try (InputStream in = store().open(upload.id(), 0, data.length)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  private static List<String> chunkKeysOn(RedisServer master, BlobId id) {
    return Nodes.on(
        master,
        c -> {
          List<String> found = new ArrayList<>();
          ScanCursor cursor = ScanCursor.INITIAL;
          ScanArgs match = ScanArgs.Builder.matches("*:b:" + id.value() + ":*").limit(1_000);
          do {
            KeyScanCursor<String> page = c.sync().scan(cursor, match);
            found.addAll(page.getKeys());
            cursor = page;
          } while (!cursor.isFinished());
          return found;
        });
  }
}
