package dev.mailroom.store.redis;

import dev.mailroom.core.Message;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-off pass that indexes the messages stored before an index existed, once per namespace: a
 * system key records that it was done. Each shard's {@code msgs} is read with {@code HSCAN}, a page
 * at a time, and each page's arguments go to one script in that shard, which skips the messages
 * already indexed or since removed; so running it twice, or on several nodes at once, indexes
 * nothing twice.
 */
final class Backfill {
  /** The arguments a message adds to its page's script call (none when it needs no entry). */
  @FunctionalInterface
  interface Arguments {
    void add(String id, Message message, List<Object> args);
  }

  private Backfill() {}

  /**
   * Runs the pass unless the system key {@code done} exists, then sets it to {@code now}.
   *
   * @param page how many messages one {@code HSCAN} asks for
   * @return the sum of the script's answers: how many messages it indexed
   */
  static long once(
      RedisLink link,
      KeySpace keys,
      String done,
      long now,
      int page,
      Script script,
      Arguments arguments) {
    byte[] marker = link.key(done);
    if (link.call(() -> link.sync().exists(marker)) > 0) {
      return 0;
    }
    long added = 0;
    ScanArgs scan = ScanArgs.Builder.limit(page);
    for (int k = 0; k < keys.shards(); k++) {
      byte[] msgs = link.key(k, "msgs");
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        ScanCursor from = cursor;
        MapScanCursor<byte[], byte[]> scanned =
            link.call(() -> link.sync().hscan(msgs, from, scan));
        List<Object> args = new ArrayList<>();
        scanned
            .getMap()
            .forEach(
                (hex, stored) -> {
                  String id = Codec.text(hex);
                  arguments.add(id, Codec.message(Codec.id(id), stored), args);
                });
        if (!args.isEmpty()) {
          Long n = link.runIn(k, script, ScriptOutputType.INTEGER, args.toArray());
          added += n;
        }
        cursor = scanned;
      } while (!cursor.isFinished());
    }
    link.call(() -> link.sync().set(marker, Codec.utf8(Long.toString(now))));
    return added;
  }
}
