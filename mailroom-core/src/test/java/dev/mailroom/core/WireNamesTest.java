package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The enums that travel by name: parsing, wire names and refusals. */
class WireNamesTest {

  static void assertRefused(Function<String, ?> parse, String text, String field) {
    assertThatThrownBy(() -> parse.apply(text))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
  }

  @ParameterizedTest
  @EnumSource(Priority.class)
  void priorityParsesItsWireName(Priority p) {
    assertThat(Priority.parse(p.wireName())).isEqualTo(p);
  }

  @Test
  void priorityRanksLowToUrgent() {
    assertThat(Priority.LOW).isLessThan(Priority.NORMAL);
    assertThat(Priority.NORMAL).isLessThan(Priority.HIGH);
    assertThat(Priority.HIGH).isLessThan(Priority.URGENT);
    assertThat(Priority.URGENT.wireName()).isEqualTo("urgent");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "NORMAL", "critical", " low"})
  void priorityRefusesOtherNames(String text) {
    assertRefused(Priority::parse, text, "priority");
  }

  @ParameterizedTest
  @EnumSource(ContentType.class)
  void contentTypeParsesItsMediaType(ContentType t) {
    assertThat(ContentType.parse(t.mediaType())).isEqualTo(t);
  }

  @Test
  void contentTypesHaveTheirMediaTypesAndEncodings() {
    assertThat(ContentType.TEXT_PLAIN.mediaType()).isEqualTo("text/plain");
    assertThat(ContentType.TEXT_CODE.mediaType()).isEqualTo("text/code");
    assertThat(ContentType.APPLICATION_JSON.encoding()).isEqualTo(ContentType.Encoding.JSON);
    assertThat(ContentType.OCTET_STREAM.encoding()).isEqualTo(ContentType.Encoding.BASE64);
    assertThat(ContentType.REFERENCE.encoding()).isEqualTo(ContentType.Encoding.TEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "text/html", "TEXT/PLAIN", "text/plain; charset=utf-8", "json"})
  void contentTypeRefusesOtherTypes(String text) {
    assertRefused(ContentType::parse, text, "content_type");
  }

  @ParameterizedTest
  @EnumSource(SendMode.class)
  void sendModeParsesItsWireName(SendMode m) {
    assertThat(SendMode.parse(m.wireName())).isEqualTo(m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "DIRECT", "multicast"})
  void sendModeRefusesOtherNames(String text) {
    assertRefused(SendMode::parse, text, "mode");
  }

  @ParameterizedTest
  @EnumSource(Order.class)
  void orderParsesItsWireName(Order o) {
    assertThat(Order.parse(o.wireName())).isEqualTo(o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ASC", "ascending", "up"})
  void orderRefusesOtherNames(String text) {
    assertRefused(Order::parse, text, "order");
  }

  @Test
  void longBadValuesAreAbbreviatedInTheMessage() {
    String junk = "x".repeat(500);

    assertThatThrownBy(() -> Priority.parse(junk))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors().getFirst().message()).hasSizeLessThan(200).contains("..."));
  }

  @Test
  void mailboxKindsHaveLowerCaseWireNames() {
    assertThat(MailboxKind.AGENT.wireName()).isEqualTo("agent");
    assertThat(MailboxKind.TOPIC.wireName()).isEqualTo("topic");
  }
}
