package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.search.SearchPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CursorCodecTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  @ParameterizedTest
  @EnumSource(Order.class)
  void aCursorDecodesToTheOrderAndPositionItWasMadeFrom(Order order) {
    for (MessageId id :
        new MessageId[] {
          MessageId.of(0),
          MessageId.of(Instant.parse("2026-01-02T03:04:05Z"), 17),
          MessageId.of(Long.MAX_VALUE)
        }) {
      String text = CursorCodec.encode(order, id);

      assertThat(text).matches("[A-Za-z0-9_-]+");
      assertThat(CursorCodec.decode(text)).isEqualTo(new CursorCodec.Cursor(order, id));
    }
  }

  @Test
  void everyOneCharacterEditIsRefused() {
    String cursor = CursorCodec.encode(Order.ASC, MessageId.of(Instant.now(), 5));
    for (int i = 0; i < cursor.length(); i++) {
      for (char c : ALPHABET.toCharArray()) {
        if (c == cursor.charAt(i)) {
          continue;
        }
        String edited = cursor.substring(0, i) + c + cursor.substring(i + 1);
        assertThatThrownBy(() -> CursorCodec.decode(edited))
            .as("cursor %s edited at %d", cursor, i)
            .isInstanceOf(MailroomException.InvalidRequest.class);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "x", "not a cursor", "AAAAAAAAAAAAAAAAAAA", "====", "AWEaICmRfvAAAJd3"})
  void garbageIsRefusedNamingTheCursor(String text) {
    assertThatThrownBy(() -> CursorCodec.decode(text))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("cursor"));
  }

  @Test
  void aCursorWithExtraCharactersIsRefused() {
    String cursor = CursorCodec.encode(Order.DESC, MessageId.of(123456789L));

    assertThatThrownBy(() -> CursorCodec.decode(cursor + "A"))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    assertThatThrownBy(() -> CursorCodec.decode(cursor.substring(1)))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void anAuditCursorDecodesToTheOrderAndPositionItWasMadeFrom(Order order) {
    AuditPosition position =
        new AuditPosition(Instant.parse("2026-01-02T03:04:05.678Z"), "0123456789abcdef", 42);

    String text = CursorCodec.encode(order, position);

    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(CursorCodec.decodeAudit(text))
        .isEqualTo(new CursorCodec.AuditCursor(order, position));
  }

  @Test
  void anAuditCursorWithAnyCharacterEditedIsRefused() {
    String cursor = CursorCodec.encode(Order.ASC, new AuditPosition(Instant.now(), "node-a", 7));
    for (int i = 0; i < cursor.length(); i++) {
      String edited =
          cursor.substring(0, i) + (cursor.charAt(i) == 'A' ? 'B' : 'A') + cursor.substring(i + 1);
      assertThatThrownBy(() -> CursorCodec.decodeAudit(edited))
          .as("cursor %s edited at %d", cursor, i)
          .isInstanceOf(MailroomException.InvalidRequest.class);
    }
  }

  @Test
  void aSearchCursorDecodesToItsRankAndIdAndNoOtherListingTakesIt() {
    SearchPosition position = new SearchPosition(2017.4242424242, MessageId.of(123456789L));
    String text = CursorCodec.encode(position);
    assertThat(CursorCodec.decodeSearch(text)).isEqualTo(position);
    assertThatThrownBy(() -> CursorCodec.decode(text))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    String message = CursorCodec.encode(Order.DESC, MessageId.of(123456789L));
    assertThatThrownBy(() -> CursorCodec.decodeSearch(message))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String edited = text.substring(0, i) + (c == 'A' ? 'B' : 'A') + text.substring(i + 1);
      assertThatThrownBy(() -> CursorCodec.decodeSearch(edited))
          .as("edited at %d", i)
          .isInstanceOf(MailroomException.InvalidRequest.class);
    }
  }

  @Test
  void aSearchCursorWithARankThatIsNotANumberIsRefused() {
    ByteBuffer frame =
        ByteBuffer.allocate(2 + 2 * Long.BYTES + Integer.BYTES)
            .put((byte) 9)
            .put((byte) 'd')
            .putLong(Double.doubleToLongBits(Double.NaN))
            .putLong(42);
    CRC32 crc = new CRC32();
    crc.update(frame.array(), 0, frame.position());
    frame.putInt((int) crc.getValue());
    String text = Base64.getUrlEncoder().withoutPadding().encodeToString(frame.array());
    assertThatThrownBy(() -> CursorCodec.decodeSearch(text))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }

  @Test
  void aCursorOfOneKindIsRefusedAsTheOther() {
    String message = CursorCodec.encode(Order.ASC, MessageId.of(123456789L));
    String audit = CursorCodec.encode(Order.ASC, new AuditPosition(Instant.now(), "node-a", 7));

    assertThatThrownBy(() -> CursorCodec.decodeAudit(message))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    assertThatThrownBy(() -> CursorCodec.decode(audit))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }

  @ParameterizedTest
  @EnumSource(CursorCodec.Named.class)
  void aNamedCursorDecodesToItsPositionInItsOwnListingOnly(CursorCodec.Named listing) {
    String name = "ai.models." + "x".repeat(240);
    String text = CursorCodec.encodeAfter(listing, name);

    assertThat(text).matches("[A-Za-z0-9_-]+");
    assertThat(CursorCodec.decodeAfter(listing, text)).isEqualTo(name);
    for (CursorCodec.Named other : CursorCodec.Named.values()) {
      if (other != listing) {
        assertThatThrownBy(() -> CursorCodec.decodeAfter(other, text))
            .isInstanceOf(MailroomException.InvalidRequest.class);
      }
    }
    String messages = CursorCodec.encode(Order.ASC, MessageId.of(42));
    assertThatThrownBy(() -> CursorCodec.decodeAfter(listing, messages))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    assertThatThrownBy(() -> CursorCodec.decode(text))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }

  @Test
  void aNamedCursorWithAnEmptyOrOverlongPositionIsRefused() {
    for (String position : new String[] {"", "x".repeat(257)}) {
      String text = CursorCodec.encodeAfter(CursorCodec.Named.TOPICS, position);
      assertThatThrownBy(() -> CursorCodec.decodeAfter(CursorCodec.Named.TOPICS, text))
          .isInstanceOf(MailroomException.InvalidRequest.class);
    }
  }

  /**
   * A cursor's checksum is no signature: anyone can write a well-formed frame. Found by
   * CursorCodecFuzzTest: such a frame naming a position no audit record can have was taken as is.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "chain A", "ch\u00e9ne", "chain\u0000", "/../etc"})
  void anAuditCursorNamingAChainNoRecordCanHaveIsRefused(String chain) {
    String forged = sealed(auditFrame(1_767_225_600_123L, 7, chain));

    assertThatThrownBy(() -> CursorCodec.decodeAudit(forged))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("cursor"));
  }

  @Test
  void anAuditCursorWithANegativeIndexIsRefused() {
    String forged = sealed(auditFrame(1_767_225_600_123L, -1, "node-a"));

    assertThatThrownBy(() -> CursorCodec.decodeAudit(forged))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }

  @Test
  void aWellFormedAuditFrameDecodes() {
    String made = sealed(auditFrame(1_767_225_600_123L, 7, "node-a"));

    assertThat(CursorCodec.decodeAudit(made))
        .isEqualTo(
            new CursorCodec.AuditCursor(
                Order.DESC,
                new AuditPosition(Instant.ofEpochMilli(1_767_225_600_123L), "node-a", 7)));
  }

  private static byte[] auditFrame(long atMillis, long index, String chain) {
    byte[] name = chain.getBytes(StandardCharsets.ISO_8859_1);
    return ByteBuffer.allocate(2 + 2 * Long.BYTES + name.length)
        .put((byte) 2)
        .put((byte) 'd')
        .putLong(atMillis)
        .putLong(index)
        .put(name)
        .array();
  }

  /** A cursor frame with a correct checksum appended, in the cursor's text form. */
  static String sealed(byte[] frame) {
    CRC32 crc = new CRC32();
    crc.update(frame);
    byte[] withCrc =
        ByteBuffer.allocate(frame.length + Integer.BYTES)
            .put(frame)
            .putInt((int) crc.getValue())
            .array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(withCrc);
  }
}
