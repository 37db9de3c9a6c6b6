package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00.123Z");

  @Test
  void textFormIsThirteenCharactersOfCrockfordBase32() {
    assertThat(MessageId.of(0)).hasToString("0000000000000");
    assertThat(MessageId.of(31)).hasToString("000000000000Z");
    assertThat(MessageId.of(32)).hasToString("0000000000010");
    assertThat(MessageId.of(Long.MAX_VALUE)).hasToString("7ZZZZZZZZZZZZ");
  }

  @Test
  void textRoundTrips() {
    MessageId id = MessageId.of(T, 12_345);

    assertThat(MessageId.parse(id.toString())).isEqualTo(id);
  }

  @Test
  void parseAcceptsLowerCase() {
    MessageId id = MessageId.of(T, 7);

    assertThat(MessageId.parse(id.toString().toLowerCase())).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "000000000000",
        "00000000000000",
        "000000000000U",
        "000000000000I",
        "000000000000L",
        "000000000000O",
        "00000000000-0",
        "8000000000000",
        "Z000000000000",
        "00000000000é0",
        "0000000000 00"
      })
  void parseRejectsWhatIsNotAnId(String text) {
    assertThatThrownBy(() -> MessageId.parse(text))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("id"));
  }

  @Test
  void negativeValuesAreRefused() {
    assertThatThrownBy(() -> MessageId.of(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idCarriesItsTimeAndSequence() {
    MessageId id = MessageId.of(T, 5);

    assertThat(id.timestamp()).isEqualTo(T);
    assertThat(id.value() & MessageId.MAX_SEQUENCE).isEqualTo(5);
  }

  @Test
  void sequenceMustFitItsBits() {
    assertThatThrownBy(() -> MessageId.of(T, MessageId.MAX_SEQUENCE + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageId.of(T, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lowestAndHighestAtBracketEveryIdOfThatMillisecond() {
    MessageId low = MessageId.lowestAt(T);
    MessageId high = MessageId.highestAt(T);

    assertThat(low).isEqualTo(MessageId.of(T, 0));
    assertThat(high).isEqualTo(MessageId.of(T, MessageId.MAX_SEQUENCE));
    assertThat(MessageId.highestAt(T.minusMillis(1))).isLessThan(low);
    assertThat(MessageId.lowestAt(T.plusMillis(1))).isGreaterThan(high);
  }

  @Test
  void lowestAndHighestAtIgnoreSubMillisecondPrecision() {
    Instant withNanos = T.plusNanos(999_999);

    assertThat(MessageId.lowestAt(withNanos)).isEqualTo(MessageId.lowestAt(T));
    assertThat(MessageId.highestAt(withNanos)).isEqualTo(MessageId.highestAt(T));
  }

  @Test
  void timesOutsideTheIdRangeAreClamped() {
    assertThat(MessageId.lowestAt(Instant.parse("1900-01-01T00:00:00Z")))
        .isEqualTo(MessageId.of(0));
    assertThat(MessageId.highestAt(Instant.MIN)).isEqualTo(MessageId.of(MessageId.MAX_SEQUENCE));
    assertThat(MessageId.highestAt(Instant.MAX)).isEqualTo(MessageId.of(Long.MAX_VALUE));
    assertThat(MessageId.lowestAt(Instant.MAX).value())
        .isEqualTo(Long.MAX_VALUE & ~MessageId.MAX_SEQUENCE);
  }

  @Test
  void idsCompareByValue() {
    assertThat(MessageId.of(1)).isLessThan(MessageId.of(2));
    assertThat(MessageId.of(T, 0)).isLessThan(MessageId.of(T.plusMillis(1), 0));
    assertThat(MessageId.of(T, MessageId.MAX_SEQUENCE))
        .isLessThan(MessageId.of(T.plusMillis(1), 0));
  }
}
