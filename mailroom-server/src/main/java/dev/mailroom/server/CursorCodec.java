package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.search.SearchPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The opaque {@code cursor} of listings: unpadded base64url of a kind byte (1 for messages, 2 for
 * audit records, 3 for topics, 4 for subscriptions, 5 for agents, 6 for roles, 7 for the readers of
 * a message, 8 for reservations, 9 for search results, 10 for the receipts of a message, 11 for
 * obligations), the listing order, the position of the last item returned, and a CRC-32 of those,
 * so that a cursor that was cut or edited is refused instead of silently starting somewhere else. A
 * message position is its id; an audit position is its time (epoch milliseconds), index and chain;
 * a topic's is its name, a subscription's and an agent's its id, a role's its name, a reader's its
 * read time (epoch milliseconds) and id, a search result's its rank (a double) and id, a receipt's
 * its agent and an obligation's its message id. A cursor carries no filters; the caller repeats
 * them with each page. A cursor of one listing is refused by another.
 */
final class CursorCodec {
  static final String FIELD = "cursor";
  private static final byte MESSAGES = 1;
  private static final byte AUDIT = 2;
  private static final byte SEARCH = 9;

  /** The listings whose position is a name or id, or another short text ({@link #encodeAfter}). */
  enum Named {
    TOPICS(3),
    SUBSCRIPTIONS(4),
    AGENTS(5),
    ROLES(6),
    READERS(7),
    RESERVATIONS(8),
    RECEIPTS(10),
    OBLIGATIONS(11);

    private final byte kind;

    Named(int kind) {
      this.kind = (byte) kind;
    }
  }

  /** The longest name or id a cursor holds: a mailbox name's limit. */
  private static final int MAX_NAME = 256;

  private static final int FRAME = 1 + 1 + Integer.BYTES;
  private static final int MAX_CHAIN = 64;

  /** Where a message cursor continues: after {@code position}, in {@code order}. */
  record Cursor(Order order, MessageId position) {}

  /** Where an audit cursor continues: after {@code position}, in {@code order}. */
  record AuditCursor(Order order, AuditPosition position) {}

  private CursorCodec() {}

  static String encode(Order order, MessageId position) {
    return seal(MESSAGES, order, ByteBuffer.allocate(Long.BYTES).putLong(position.value()));
  }

  /**
   * Reads a message cursor.
   *
   * @throws MailroomException.InvalidRequest naming {@code cursor} if it was not made by {@link
   *     #encode(Order, MessageId)}
   */
  static Cursor decode(String text) {
    Opened c = open(text, MESSAGES);
    if (c.payload().remaining() != Long.BYTES) {
      throw invalid();
    }
    long id = c.payload().getLong();
    if (id < 0) {
      throw invalid();
    }
    return new Cursor(c.order(), MessageId.of(id));
  }

  static String encode(Order order, AuditPosition position) {
    byte[] chain = position.chain().getBytes(StandardCharsets.US_ASCII);
    return seal(
        AUDIT,
        order,
        ByteBuffer.allocate(2 * Long.BYTES + chain.length)
            .putLong(position.at().toEpochMilli())
            .putLong(position.index())
            .put(chain));
  }

  /**
   * Reads an audit cursor.
   *
   * @throws MailroomException.InvalidRequest naming {@code cursor} if it was not made by {@link
   *     #encode(Order, AuditPosition)}
   */
  static AuditCursor decodeAudit(String text) {
    Opened c = open(text, AUDIT);
    ByteBuffer p = c.payload();
    int chainLength = p.remaining() - 2 * Long.BYTES;
    if (chainLength < 1 || chainLength > MAX_CHAIN) {
      throw invalid();
    }
    Instant at = Instant.ofEpochMilli(p.getLong());
    long index = p.getLong();
    byte[] bytes = new byte[chainLength];
    p.get(bytes);
    // The checksum catches a cut or a typo, not a forgery: check what no record could hold.
    String chain = new String(bytes, StandardCharsets.ISO_8859_1);
    if (index < 0 || !AuditRecord.isChainName(chain)) {
      throw invalid();
    }
    return new AuditCursor(c.order(), new AuditPosition(at, chain, index));
  }

  /** A search cursor: continue after the hit of this rank and id. */
  static String encode(SearchPosition position) {
    return seal(
        SEARCH,
        Order.DESC,
        ByteBuffer.allocate(2 * Long.BYTES)
            .putLong(Double.doubleToLongBits(position.rank()))
            .putLong(position.id().value()));
  }

  /**
   * Reads a search cursor.
   *
   * @throws MailroomException.InvalidRequest naming {@code cursor} if it was not made by {@link
   *     #encode(SearchPosition)}
   */
  static SearchPosition decodeSearch(String text) {
    ByteBuffer p = open(text, SEARCH).payload();
    if (p.remaining() != 2 * Long.BYTES) {
      throw invalid();
    }
    double rank = Double.longBitsToDouble(p.getLong());
    long id = p.getLong();
    if (id < 0 || !Double.isFinite(rank)) {
      throw invalid();
    }
    return new SearchPosition(rank, MessageId.of(id));
  }

  /** A cursor of a listing by name or id that continues after {@code position}. */
  static String encodeAfter(Named listing, String position) {
    byte[] name = position.getBytes(StandardCharsets.US_ASCII);
    return seal(listing.kind, Order.ASC, ByteBuffer.allocate(name.length).put(name));
  }

  /**
   * Reads a cursor of a listing by name or id: the position to continue after. The caller still
   * checks that it is a valid name or id.
   *
   * @throws MailroomException.InvalidRequest naming {@code cursor} if it was not made by {@link
   *     #encodeAfter} for this listing
   */
  static String decodeAfter(Named listing, String text) {
    ByteBuffer p = open(text, listing.kind).payload();
    if (p.remaining() < 1 || p.remaining() > MAX_NAME) {
      throw invalid();
    }
    byte[] name = new byte[p.remaining()];
    p.get(name);
    return new String(name, StandardCharsets.US_ASCII);
  }

  private record Opened(Order order, ByteBuffer payload) {}

  private static String seal(byte kind, Order order, ByteBuffer payload) {
    payload.flip();
    ByteBuffer buf = ByteBuffer.allocate(FRAME + payload.remaining());
    buf.put(kind).put((byte) (order == Order.ASC ? 'a' : 'd')).put(payload);
    buf.putInt((int) crc(buf.array(), buf.position()));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }

  private static Opened open(String text, byte kind) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // The decoder ignores stray low bits in the last character; insist on the canonical text.
    if (bytes.length < FRAME
        || bytes[0] != kind
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
      throw invalid();
    }
    int end = bytes.length - Integer.BYTES;
    byte order = bytes[1];
    if (ByteBuffer.wrap(bytes, end, Integer.BYTES).getInt() != (int) crc(bytes, end)
        || (order != 'a' && order != 'd')) {
      throw invalid();
    }
    return new Opened(order == 'a' ? Order.ASC : Order.DESC, ByteBuffer.wrap(bytes, 2, end - 2));
  }

  private static long crc(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }

  private static MailroomException.InvalidRequest invalid() {
    return MailroomException.InvalidRequest.field(
        FIELD, "is not a cursor this server issued (pass next_cursor back unchanged)");
  }
}
