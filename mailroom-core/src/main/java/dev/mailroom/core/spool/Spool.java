package dev.mailroom.core.spool;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MessageId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's local durable spool: sends the node accepted while its shared store could not take them,
 * kept in the order they were accepted until they are replayed into the store. What a send holds is
 * opaque here ({@link Entry#body()}): the store that spools it encodes and decodes it.
 *
 * <p>Every method that changes the spool returns only once the change is synced to disk, so an
 * entry whose {@link #append} returned survives a crash of the process or the machine, and one that
 * {@link #remove} removed does not come back. Bounded: an append that would take the spool over its
 * {@link Limits} is refused and changes nothing. Implementations are thread-safe.
 */
public interface Spool extends AutoCloseable {

  /**
   * One spooled send: a {@link Send} with its place in acceptance order ({@code position}: every
   * later append has a higher one).
   */
  record Entry(long position, Send send) {
    public Entry {
      Objects.requireNonNull(send, "send");
    }

    /** The message's id, given when it was accepted and kept when it is replayed. */
    public MessageId id() {
      return send.id();
    }

    public AgentId sender() {
      return send.sender();
    }

    /** The sender's key, if it gave one: a retry with it gets the same id. */
    public Optional<String> idempotencyKey() {
      return send.idempotencyKey();
    }

    public Instant acceptedAt() {
      return send.acceptedAt();
    }

    /** The send as the spooling store encoded it. */
    public byte[] body() {
      return send.body();
    }
  }

  /** How much a spool may hold: entries, and bytes of their bodies. */
  record Limits(long maxEntries, long maxBytes) {
    /** 1,000,000 entries or 1 GiB of bodies, whichever comes first. */
    public static final Limits DEFAULTS = new Limits(1_000_000, 1L << 30);

    public Limits {
      if (maxEntries < 1 || maxBytes < 1) {
        throw new IllegalArgumentException("a spool's limits must be at least 1");
      }
    }
  }

  /**
   * What a spool holds now.
   *
   * @param oldest when its oldest entry was accepted; empty when it is empty
   */
  record Stats(long entries, long bytes, Optional<Instant> oldest) {
    public boolean isEmpty() {
      return entries == 0;
    }
  }

  /** Refused: the spool is full. Nothing was appended. */
  final class FullException extends RuntimeException {
    public FullException(String message) {
      super(message, null, false, false);
    }
  }

  /** A send to append: what an {@link Entry} holds besides its position. */
  record Send(
      MessageId id,
      AgentId sender,
      Optional<String> idempotencyKey,
      Instant acceptedAt,
      byte[] body) {
    public Send {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(sender, "sender");
      Objects.requireNonNull(idempotencyKey, "idempotencyKey");
      Objects.requireNonNull(acceptedAt, "acceptedAt");
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * Appends sends, in order, all or none, synced to disk before it returns.
   *
   * @return their entries, with their positions, in the same order
   * @throws FullException if they would take the spool over its limits (then none is appended)
   */
  List<Entry> append(List<Send> sends);

  /** Appends one send: {@link #append(List)} of one. */
  default Entry append(Send send) {
    return append(List.of(send)).getFirst();
  }

  /** The oldest {@code max} entries at most, in acceptance order. */
  List<Entry> oldest(int max);

  /** Removes entries (by position), synced to disk before it returns. Unknown ones are ignored. */
  void remove(List<Entry> entries);

  /** The id of the spooled send from {@code sender} with this idempotency key, if there is one. */
  Optional<MessageId> find(AgentId sender, String idempotencyKey);

  /** What it holds now (kept in memory: cheap). */
  Stats stats();

  /**
   * The spool's second lane: records other than sends (the node's audit records) kept while the
   * store could not take them, in the order appended, synced like sends and bounded by the same
   * {@link Limits}, counted apart from the sends.
   */
  Records records();

  /** Opaque records, oldest first; see {@link #records()}. Thread-safe. */
  interface Records {
    /** One record and its place (every later append has a higher one). */
    record Entry(long position, byte[] body) {
      public Entry {
        Objects.requireNonNull(body, "body");
      }
    }

    /**
     * Appends records, in order, all or none, synced to disk before it returns.
     *
     * @throws FullException if they would take the lane over its limits (then none is appended)
     */
    void append(List<byte[]> bodies);

    /** The oldest {@code max} records at most, in the order appended. */
    List<Entry> oldest(int max);

    /**
     * Removes records (by position), synced to disk before it returns; unknown ones are ignored.
     */
    void remove(List<Entry> entries);

    /** How many records it holds (kept in memory: cheap). */
    long size();
  }

  /** Closes the spool; what it holds stays on disk for the next open. */
  @Override
  void close();
}
