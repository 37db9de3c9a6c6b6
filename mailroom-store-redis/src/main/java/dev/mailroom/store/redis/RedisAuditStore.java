package dev.mailroom.store.redis;

import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log in Redis. A record is the hash {@code ar:<chain>#<index>} (the index as 19 decimal
 * digits) with one field per record field, exactly as given; it is listed in the sorted set {@code
 * audit} (all scores 0) by its position, and in {@code ac:<chain>} with its index as score; {@code
 * achains} holds the chain names. A position is the text {@code <time>#<chain>#<index>}, where the
 * time is the epoch milliseconds plus 2<sup>63</sup> as 16 hex digits: text order is then (time,
 * chain, index) order, because {@code #} sorts before every character of a chain name, so listings
 * and the time bounds are lexicographic ranges of {@code audit}.
 *
 * <p>An append is one script per {@value #BATCH} records (a larger batch is several), storing
 * nothing of a batch holding a record already stored. A listing walks {@code audit} a chunk at a
 * time and reads the chunk's records in one round trip; the filters other than time are tested
 * here. Purging is one script per {@value #BATCH} records, oldest first.
 */
final class RedisAuditStore implements AuditStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisAuditStore.class);
  static final int BATCH = 1000;
  private static final String[] FIELDS = {
    "chain",
    "index",
    "at",
    "request_id",
    "actor",
    "action",
    "resource",
    "status",
    "outcome",
    "detail",
    "prev_hash",
    "hash"
  };
  private static final byte[][] FIELD_KEYS = RedisMessageStore.utf8(List.of(FIELDS));

  private final RedisLink link;
  private final Scripts scripts;

  RedisAuditStore(RedisLink link, Scripts scripts) {
    this.link = link;
    this.scripts = scripts;
  }

  /** The 16 hex digits of a time in a position. */
  static String time(long epochMillis) {
    return HexFormat.of().toHexDigits(epochMillis ^ Long.MIN_VALUE);
  }

  /** A record's id: the name of its hash after {@code ar:}. */
  static String id(String chain, long index) {
    return chain + "#" + String.format(Locale.ROOT, "%019d", index);
  }

  static String position(AuditPosition p) {
    return time(p.at().toEpochMilli()) + "#" + id(p.chain(), p.index());
  }

  @Override
  public void append(List<AuditRecord> records) {
    for (int from = 0; from < records.size(); from += BATCH) {
      List<AuditRecord> batch = records.subList(from, Math.min(records.size(), from + BATCH));
      List<Object> args = new ArrayList<>(2 + FIELDS.length + batch.size() * (FIELDS.length + 1));
      args.add(batch.size());
      args.add(FIELDS.length);
      args.addAll(List.of(FIELDS));
      for (AuditRecord r : batch) {
        args.add(position(r.position()));
        args.add(r.chain());
        args.add(r.index());
        args.add(r.at().toEpochMilli());
        args.add(r.requestId());
        args.add(r.actor());
        args.add(r.action());
        args.add(r.resource());
        args.add(r.status());
        args.add(r.outcome().wireName());
        args.add(r.detail());
        args.add(r.prevHash());
        args.add(r.hash());
      }
      link.runOrConflict(scripts.appendAudit(), args.toArray());
    }
  }

  @Override
  public AuditPage query(AuditQuery q) {
    boolean asc = q.order() == Order.ASC;
    // Both ends of the walk: the time bounds, and on the side it starts from, the position.
    Optional<Range.Boundary<byte[]>> low =
        q.since().map(t -> Range.Boundary.including(Codec.utf8(time(ceilMillis(t)))));
    Optional<Range.Boundary<byte[]>> high =
        q.until().map(t -> Range.Boundary.excluding(Codec.utf8(time(ceilMillis(t)))));
    if (q.after().isPresent()) {
      String after = position(q.after().get());
      if (asc) {
        low = Optional.of(tighter(low, after, true));
      } else {
        high = Optional.of(tighter(high, after, false));
      }
    }
    int chunk = Math.min(BATCH, Math.max(64, 2 * q.limit() + 1));
    byte[] key = link.key("audit");
    List<AuditRecord> found = new ArrayList<>(q.limit() + 1);
    while (found.size() <= q.limit()) {
      Range<byte[]> range =
          Range.from(
              low.orElse(Range.Boundary.<byte[]>unbounded()),
              high.orElse(Range.Boundary.<byte[]>unbounded()));
      List<byte[]> positions =
          link.call(
              () ->
                  asc
                      ? link.sync().zrangebylex(key, range, Limit.create(0, chunk))
                      : link.sync().zrevrangebylex(key, range, Limit.create(0, chunk)));
      for (AuditRecord r : records(positions)) {
        if (found.size() <= q.limit() && q.matches(r)) {
          found.add(r);
        }
      }
      if (positions.size() < chunk) {
        break;
      }
      Range.Boundary<byte[]> past = Range.Boundary.excluding(positions.getLast());
      if (asc) {
        low = Optional.of(past);
      } else {
        high = Optional.of(past);
      }
    }
    if (found.size() <= q.limit()) {
      return new AuditPage(found, Optional.empty());
    }
    List<AuditRecord> page = found.subList(0, q.limit());
    return new AuditPage(page, Optional.of(page.getLast().position()));
  }

  /**
   * Of a time bound and the position past which a listing goes on, on the same end, the one that
   * leaves less: the greater for the low end, the lesser for the high end.
   */
  private static Range.Boundary<byte[]> tighter(
      Optional<Range.Boundary<byte[]>> bound, String position, boolean low) {
    if (bound.isPresent()) {
      int c = Codec.text(bound.get().getValue()).compareTo(position);
      if (low ? c > 0 : c < 0) {
        return bound.get();
      }
    }
    return Range.Boundary.excluding(Codec.utf8(position));
  }

  /**
   * The first whole millisecond at or after {@code t}: records are kept to the millisecond, so
   * {@code at >= t} and {@code at < t} hold exactly when they hold for this millisecond.
   */
  private static long ceilMillis(Instant t) {
    return t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
  }

  @Override
  public List<AuditRecord> chain(String chain, long fromIndex, int limit) {
    List<byte[]> positions =
        link.call(
            () ->
                link.sync()
                    .zrangebyscore(
                        link.key("ac:" + chain),
                        Range.from(
                            Range.Boundary.including((double) fromIndex),
                            Range.Boundary.unbounded()),
                        Limit.create(0, limit)));
    return records(positions);
  }

  /**
   * The records at these positions, in their order, as one round trip. A record that is missing, or
   * cannot be read (a field removed or garbled in Redis), is left out, so that verifying its chain
   * finds the gap.
   */
  private List<AuditRecord> records(List<byte[]> positions) {
    List<String> ids = positions.stream().map(p -> Codec.text(p).substring(17)).toList();
    List<List<KeyValue<byte[], byte[]>>> hashes =
        link.pipelined(ids, (commands, id) -> commands.hmget(link.key("ar:" + id), FIELD_KEYS));
    List<AuditRecord> out = new ArrayList<>(hashes.size());
    for (int i = 0; i < ids.size(); i++) {
      List<KeyValue<byte[], byte[]>> fields = hashes.get(i);
      if (fields.stream().noneMatch(KeyValue::hasValue)) {
        continue;
      }
      try {
        out.add(record(fields));
      } catch (RuntimeException e) {
        LOG.warn(
            "the audit record {} cannot be read and is left out: {}", ids.get(i), e.toString());
      }
    }
    return out;
  }

  private static AuditRecord record(List<KeyValue<byte[], byte[]>> f) {
    return new AuditRecord(
        text(f, 0),
        Long.parseLong(text(f, 1)),
        Instant.ofEpochMilli(Long.parseLong(text(f, 2))),
        text(f, 3),
        text(f, 4),
        text(f, 5),
        text(f, 6),
        Integer.parseInt(text(f, 7)),
        AuditOutcome.valueOf(text(f, 8).toUpperCase(Locale.ROOT)),
        text(f, 9),
        text(f, 10),
        text(f, 11));
  }

  private static String text(List<KeyValue<byte[], byte[]>> fields, int i) {
    KeyValue<byte[], byte[]> kv = fields.get(i);
    if (!kv.hasValue()) {
      throw new IllegalStateException("the field " + FIELDS[i] + " is missing");
    }
    return Codec.text(kv.getValue());
  }

  @Override
  public List<String> chains() {
    return link.call(() -> link.sync().zrange(link.key("achains"), 0, -1)).stream()
        .map(Codec::text)
        .toList();
  }

  @Override
  public int purgeBefore(Instant cutoff, int max) {
    String before = time(ceilMillis(cutoff));
    int removed = 0;
    while (removed < max) {
      int batch = Math.min(BATCH, max - removed);
      Long n = link.run(scripts.purgeAudit(), ScriptOutputType.INTEGER, before, batch);
      removed += n.intValue();
      if (n < batch) {
        break;
      }
    }
    return removed;
  }
}
