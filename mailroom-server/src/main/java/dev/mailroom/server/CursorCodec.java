package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The opaque {@code cursor} of listings: unpadded base64url of a kind byte (1 for messages, 2 for
 * audit records), the listing order, the position of the last item returned, and a CRC-32 of those,
 * so that a cursor that was cut or edited is refused instead of silently starting somewhere else. A
 * message position is its id; an audit position is its time (epoch milliseconds), index and chain.
 * A cursor carries no filters; the caller repeats them with each page.
 */
final class CursorCodec {
  static final String FIELD = "cursor";
  private static final byte MESSAGES = 1;
  private static final byte AUDIT = 2;
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
    byte[] chain = new byte[chainLength];
    p.get(chain);
    return new AuditCursor(
        c.order(), new AuditPosition(at, new String(chain, StandardCharsets.US_ASCII), index));
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
