package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
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
}
