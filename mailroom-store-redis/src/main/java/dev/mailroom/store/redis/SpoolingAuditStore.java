package dev.mailroom.store.redis;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spool.Spool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit records that outlive a Redis outage. The node's audit log appends to Redis; when Redis
 * cannot take the records, they go into the spool's {@linkplain Spool#records() records lane},
 * synced to disk, and the append returns as if Redis had taken them; while that lane holds
 * anything, every append joins it. One thread, {@code mailroom-audit-replay}, appends what the lane
 * holds to Redis, oldest first, and removes what Redis took.
 *
 * <p>A record is stored once: a batch Redis refuses because it holds one of its records already (it
 * stored an append whose answer was lost) is appended again record by record, each one Redis holds
 * being left as it is. Redis keeps audit records by chain and index, so the order they reach it in
 * changes nothing a reader sees. A record that cannot be read back is logged at ERROR and dropped.
 *
 * <p>An {@link AuditStore} over the Redis one: appends go as above, reads straight to Redis.
 * Thread-safe. {@link #start()} starts the replay thread, {@link #close()} stops it; what is still
 * spooled stays on disk, and a node that starts with it replays it.
 */
final class SpoolingAuditStore implements AuditStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolingAuditStore.class);
  static final int REPLAY_BATCH = 500;
  private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final Spool.Records spool;
  private final AuditStore direct;
  private final Thread replayer;
  private final Object wake = new Object();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private volatile boolean closed;

  SpoolingAuditStore(Spool.Records spool, AuditStore direct) {
    this.spool = spool;
    this.direct = direct;
    this.replayer =
        Thread.ofPlatform().name("mailroom-audit-replay").daemon(true).unstarted(this::replay);
  }

  /** Starts replaying what the spool holds, now and whenever it holds something. */
  void start() {
    replayer.start();
  }

  @Override
  public void append(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    if (spool.size() == 0) {
      try {
        direct.append(records);
        return;
      } catch (MailroomException.Unavailable e) {
        if (closed) {
          throw e;
        }
        LOG.debug("Redis cannot take audit records ({}); spooling them", e.getMessage());
      }
    }
    List<byte[]> bodies = new ArrayList<>(records.size());
    for (AuditRecord r : records) {
      bodies.add(encode(r));
    }
    try {
      spool.append(bodies);
    } catch (Spool.FullException e) {
      throw new MailroomException.Unavailable(
          "Redis is unavailable and this node's spool has no room for audit records", e);
    }
    spooled.addAndGet(records.size());
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  @Override
  public AuditPage query(AuditQuery query) {
    return direct.query(query);
  }

  @Override
  public List<AuditRecord> chain(String chain, long fromIndex, int limit) {
    return direct.chain(chain, fromIndex, limit);
  }

  @Override
  public List<String> chains() {
    return direct.chains();
  }

  @Override
  public int purgeBefore(Instant cutoff, int max) {
    return direct.purgeBefore(cutoff, max);
  }

  /** The audit records spooled for the store's health report. */
  Map<String, Object> health() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("depth", spool.size());
    out.put("spooled", spooled.get());
    out.put("replayed", replayed.get());
    return out;
  }

  private void replay() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      try {
        if (spool.size() == 0) {
          synchronized (wake) {
            if (spool.size() == 0 && !closed) {
              wake.wait(IDLE_WAIT.toMillis());
            }
          }
          continue;
        }
        replayBatch(spool.oldest(REPLAY_BATCH));
        backoff = MIN_BACKOFF;
      } catch (MailroomException.Unavailable e) {
        // Redis (or the spool's disk) cannot take it yet: wait and try again.
        pause(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("replaying spooled audit records failed; trying again", e);
        pause(MAX_BACKOFF);
      }
    }
  }

  private void replayBatch(List<Spool.Records.Entry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<AuditRecord> records = new ArrayList<>(batch.size());
    List<Spool.Records.Entry> readable = new ArrayList<>(batch.size());
    for (Spool.Records.Entry e : batch) {
      try {
        records.add(decode(e.body()));
        readable.add(e);
      } catch (RuntimeException unreadable) {
        LOG.error(
            "a spooled audit record cannot be read back and is dropped: {}", unreadable.toString());
        spool.remove(List.of(e));
      }
    }
    if (records.isEmpty()) {
      return;
    }
    try {
      direct.append(records);
    } catch (MailroomException.Conflict held) {
      // Redis holds one of them already (an append whose answer was lost): one by one.
      for (AuditRecord r : records) {
        try {
          direct.append(List.of(r));
        } catch (MailroomException.Conflict already) {
          LOG.debug("audit record {}#{} was stored already", r.chain(), r.index());
        }
      }
    }
    spool.remove(readable);
    replayed.addAndGet(records.size());
  }

  private void pause(Duration d) {
    synchronized (wake) {
      if (closed) {
        return;
      }
      try {
        wake.wait(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    replayer.interrupt();
    try {
      replayer.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- a record as the spool keeps it

  private static final int FORMAT = 1;

  static byte[] encode(AuditRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      writeText(out, r.chain());
      out.writeLong(r.index());
      out.writeLong(r.at().toEpochMilli());
      writeText(out, r.requestId());
      writeText(out, r.actor());
      writeText(out, r.action());
      writeText(out, r.resource());
      out.writeInt(r.status());
      writeText(out, r.outcome().wireName());
      writeText(out, r.detail());
      writeText(out, r.prevHash());
      writeText(out, r.hash());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A string as its UTF-8 length and bytes (writeUTF stops at 64 KiB). */
  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readText(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("a text of " + n + " bytes where " + in.available() + " are left");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  static AuditRecord decode(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown spooled audit record format " + format);
      }
      return new AuditRecord(
          readText(in),
          in.readLong(),
          Instant.ofEpochMilli(in.readLong()),
          readText(in),
          readText(in),
          readText(in),
          readText(in),
          in.readInt(),
          AuditOutcome.parse("outcome", readText(in)),
          readText(in),
          readText(in),
          readText(in));
    } catch (IOException e) {
      throw new IllegalArgumentException("a spooled audit record is cut short", e);
    }
  }
}
