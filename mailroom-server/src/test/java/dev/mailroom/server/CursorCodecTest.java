package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditPosition;
import java.time.Instant;
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
  void aCursorOfOneKindIsRefusedAsTheOther() {
    String message = CursorCodec.encode(Order.ASC, MessageId.of(123456789L));
    String audit = CursorCodec.encode(Order.ASC, new AuditPosition(Instant.now(), "node-a", 7));

    assertThatThrownBy(() -> CursorCodec.decodeAudit(message))
        .isInstanceOf(MailroomException.InvalidRequest.class);
    assertThatThrownBy(() -> CursorCodec.decode(audit))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }
}
