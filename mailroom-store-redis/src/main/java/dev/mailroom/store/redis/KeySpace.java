package dev.mailroom.store.redis;

import dev.mailroom.core.MessageId;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Where a namespace's keys live. The system's own records (agents, those being deleted, tokens,
 * enrollments, presence marks and last-seen times, subscriptions, topic configurations, the policy,
 * the audit log, the events channel) are under {@code {namespace}:}. Messages, mailboxes,
 * deliveries, dead letters and read marks are spread over a fixed number of shards, each a hash tag
 * of its own, so a Redis Cluster spreads them (and their load) over its masters:
 *
 * <ul>
 *   <li>a mailbox (an agent's inbox, a shared mailbox, a topic) lives in the shard its name hashes
 *       to, with everything kept per agent: pending deliveries, dead letters, read marks, the
 *       subscriptions' queues;
 *   <li>a message lives in the shard of the mailbox it was sent to (a broadcast: its sender's), and
 *       its id carries that shard in its lowest bits, so a lookup by id goes straight there.
 * </ul>
 *
 * <p>Shard {@code k}'s tag is chosen so that its Cluster slot falls in the {@code k}-th of as many
 * equal ranges of the 16,384 slots: a Cluster whose masters hold equal ranges then holds equal
 * numbers of shards. A namespace keeps the count it was created with (the {@code layout} key); one
 * made before shards existed has one shard, whose keys are the system's own, {@code
 * {namespace}:...}, exactly as they were.
 *
 * <p>Uploads and blobs keep their records in the system's own keys, and their bytes in chunks of at
 * most 1 MiB, each under a hash tag of its own ({@link #chunk}), so that a Cluster spreads one
 * blob's bytes over its slots and masters.
 *
 * <p>A console session is a key of its own, {@link #session}, under a hash tag of its own, so that
 * a Cluster spreads sessions over its slots too; Redis expires the key when the session expires.
 *
 * <p>Immutable and thread-safe.
 */
final class KeySpace {
  /** The most shards: the low 8 bits of a message id's 20 below its millisecond. */
  static final int MAX_SHARDS = 256;

  /** A message id's bits below its millisecond. */
  static final int LOW_BITS = 20;

  private static final int SLOTS = 16_384;

  private final String namespace;
  private final String control;
  private final String[] prefixes;
  private final int[] slots;
  private final int shardBits;

  KeySpace(String namespace, int shards) {
    if (shards < 1 || shards > MAX_SHARDS || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException("shards must be a power of two up to 256: " + shards);
    }
    this.namespace = namespace;
    this.control = "{" + namespace + "}:";
    this.prefixes = new String[shards];
    this.slots = new int[shards];
    this.shardBits = Integer.numberOfTrailingZeros(shards);
    if (shards == 1) {
      prefixes[0] = control;
      slots[0] = SlotHash.getSlot(control);
      return;
    }
    int width = SLOTS / shards;
    for (int k = 0; k < shards; k++) {
      for (int i = 0; ; i++) {
        String prefix = "{" + namespace + ":" + k + "." + i + "}:";
        int slot = SlotHash.getSlot(prefix);
        if (slot / width == k) {
          prefixes[k] = prefix;
          slots[k] = slot;
          break;
        }
      }
    }
  }

  /** How many shards. */
  int shards() {
    return prefixes.length;
  }

  /** The prefix of the system's own keys. */
  String control() {
    return control;
  }

  /** The prefix of shard {@code k}'s keys. */
  String prefix(int k) {
    return prefixes[k];
  }

  /** The Cluster slot of shard {@code k}. */
  int slot(int k) {
    return slots[k];
  }

  /** The slot of the system's own keys. */
  int controlSlot() {
    return SlotHash.getSlot(control);
  }

  /** The shard of a mailbox (for an agent: of its inbox and everything kept per agent). */
  int shard(String mailbox) {
    if (prefixes.length == 1) {
      return 0;
    }
    CRC32 crc = new CRC32();
    crc.update(mailbox.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() & (prefixes.length - 1));
  }

  /** The shard a message lives in: its id's lowest bits. */
  int shard(MessageId id) {
    return (int) (id.value() & (prefixes.length - 1));
  }

  /** The shard of an id as 16 hex digits. */
  int shardOfHex(String hex) {
    return shard(Codec.id(hex));
  }

  /** How many of an id's low bits name its shard. */
  int shardBits() {
    return shardBits;
  }

  /**
   * The key of chunk {@code k} of part {@code n} of an upload, as the part's write number {@code
   * write} stored it: its own hash tag, in a slot of its own.
   */
  String chunk(String blob, int n, long write, int k) {
    return "{" + namespace + ":b:" + blob + ":" + n + "." + write + "." + k + "}";
  }

  /**
   * The key of the console session whose secret has the hash {@code hash}: its own hash tag, in a
   * slot of its own.
   */
  String session(String hash) {
    return "{" + namespace + ":s:" + hash + "}";
  }

  /** A key of shard {@code k}. */
  String key(int k, String name) {
    return prefixes[k] + name;
  }
}
