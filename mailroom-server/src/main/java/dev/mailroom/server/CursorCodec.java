package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The opaque {@code cursor} of listings: unpadded base64url of a version byte, the listing order,
 * the id of the last message returned, and a CRC-32 of those, so that a cursor that was cut or
 * edited is refused instead of silently starting somewhere else. A cursor carries no filters; the
 * caller repeats them with each page.
 */
final class CursorCodec {
  static final String FIELD = "cursor";
  private static final byte VERSION = 1;
  private static final int LENGTH = 1 + 1 + Long.BYTES + Integer.BYTES;

  /** Where a cursor continues: after {@code position}, in {@code order}. */
  record Cursor(Order order, MessageId position) {}

  private CursorCodec() {}

  static String encode(Order order, MessageId position) {
    ByteBuffer buf = ByteBuffer.allocate(LENGTH);
    buf.put(VERSION).put((byte) (order == Order.ASC ? 'a' : 'd')).putLong(position.value());
    buf.putInt((int) crc(buf.array(), LENGTH - Integer.BYTES));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }

  /**
   * Reads a cursor.
   *
   * @throws MailroomException.InvalidRequest naming {@code cursor} if it was not made by {@link
   *     #encode}
   */
  static Cursor decode(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
    // The decoder ignores stray low bits in the last character; insist on the canonical text.
    if (bytes.length != LENGTH
        || bytes[0] != VERSION
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
      throw invalid();
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.get();
    byte order = buf.get();
    long id = buf.getLong();
    int check = buf.getInt();
    if (check != (int) crc(bytes, LENGTH - Integer.BYTES) || (order != 'a' && order != 'd')) {
      throw invalid();
    }
    if (id < 0) {
      throw invalid();
    }
    return new Cursor(order == 'a' ? Order.ASC : Order.DESC, MessageId.of(id));
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
