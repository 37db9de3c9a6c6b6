package dev.mailroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class JsonLimitsTest {
  private static final String MESSAGE_HEAD =
      "{\"id\":\"1M819J5X70000\",\"timestamp\":\"2026-11-22T09:31:57.223Z\",\"sender\":\"alice\","
          + "\"mode\":\"direct\",\"target\":\"bob\",\"content_type\":\"application/json\","
          + "\"payload\":";
  private static final String MESSAGE_TAIL =
      ",\"priority\":\"normal\",\"tags\":[],\"metadata\":{},"
          + "\"expires_at\":\"2026-11-29T09:31:57.223Z\"}";

  private static String nested(int levels) {
    return "[".repeat(levels) + "]".repeat(levels);
  }

  private static String message(String payload) {
    return MESSAGE_HEAD + payload + MESSAGE_TAIL;
  }

  /** The deepest answer of the API: a batch event, its deliveries, a delivery, its message. */
  private static String batch(String payload) {
    return "{\"type\":\"batch\",\"subscription_id\":\"sub_1\",\"deliveries\":[{\"id\":"
        + "\"1M819J5X70000\",\"subscription_id\":\"sub_1\",\"attempt\":1,\"message\":"
        + message(payload)
        + "}]}";
  }

  @Test
  void clientsReadWhatAServerAtItsLargestLimitsSendsInItsDeepestEnvelope() {
    assertThat(JsonLimits.READER_MAX_DEPTH)
        .isGreaterThan(JsonLimits.MAX_DEPTH + JsonLimits.ENVELOPE_DEPTH);
    assertThat(JsonLimits.READER_MAX_NUMBER_LENGTH).isGreaterThan(JsonLimits.MAX_NUMBER_LENGTH);

    String deepest = nested(JsonLimits.MAX_DEPTH);
    StreamEvent event = StreamEvent.parse(Json.mapper(), batch(deepest));
    assertThat(event)
        .isInstanceOfSatisfying(
            StreamEvent.Batch.class,
            b ->
                assertThat(
                        Json.mapper()
                            .writeValueAsString(b.deliveries().getFirst().message().payload()))
                    .isEqualTo(deepest));
    // and it can write back what it read (the CLI prints pages as JSON)
    MessagePage page =
        Json.mapper()
            .readValue(
                "{\"messages\":[" + message(deepest) + "],\"next_cursor\":null}",
                MessagePage.class);
    assertThat(Json.mapper().writeValueAsString(page)).contains(deepest);

    String longest = "9".repeat(JsonLimits.MAX_NUMBER_LENGTH + 10);
    assertThat(Json.mapper().readTree("[" + longest + "]").get(0).bigIntegerValue())
        .hasToString(longest);
  }

  @Test
  void limitsAreCheckedAgainstTheirRanges() {
    assertThat(JsonLimits.DEFAULTS).isEqualTo(new JsonLimits(64, 1000));
    assertThatThrownBy(() -> new JsonLimits(JsonLimits.MAX_DEPTH + 1, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 16 and 1000");
    assertThatThrownBy(() -> new JsonLimits(64, JsonLimits.MIN_NUMBER_LENGTH - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("number length");
  }

  @Test
  void aMapperPastItsLimitsSaysSoInPlainWords() {
    var mapper = Json.mapper(5, 10);
    assertThat(mapper.readTree(nested(5)).isArray()).isTrue();
    assertThat(failure(() -> mapper.readTree(nested(6))))
        .isEqualTo("is nested deeper than 5 levels");
    assertThat(mapper.readTree("[-1.2345678e12]").get(0).isNumber()).isTrue();
    assertThat(failure(() -> mapper.readTree("[" + "1".repeat(11) + "]")))
        .isEqualTo("has a number of more than 10 digits");
    assertThat(failure(() -> mapper.readTree("[1.23456789e12]")))
        .isEqualTo("has a number of more than 10 digits");
    assertThat(mapper.writeValueAsString(mapper.readTree(nested(5)))).isEqualTo(nested(5));
  }

  @Test
  void failuresInsideARecordNameThePathAndTheDepthLeftThere() {
    var mapper = Json.mapper(20, 1000);
    String page = "{\"messages\":[" + message(nested(30)) + "],\"next_cursor\":null}";
    assertThat(failure(() -> mapper.readValue(page, MessagePage.class)))
        .isEqualTo("messages[0].payload: is nested deeper than 17 levels");
    assertThat(failure(() -> mapper.readValue(message(nested(30)), MessageView.class)))
        .isEqualTo("payload: is nested deeper than 19 levels");
  }

  @Test
  void otherFailuresNeverQuoteTheLibrarysNames() {
    for (String bad :
        List.of("{\"a\":1} x", "{\"a\":1}{}", "{\"a\":NaN}", "{\"a\":", "{'a':1}", "[1,]")) {
      assertThat(failure(() -> Json.mapper().readTree(bad)))
          .as(bad)
          .doesNotContain("`", "Jackson", "jackson", "Feature", "java.", "Constraints");
    }
    assertThat(failure(() -> Json.mapper().readTree("{\"a\":1}{}")))
        .isEqualTo("has more content after the JSON value");
    assertThat(
            failure(
                () ->
                    Json.mapper()
                        .readValue(
                            message("1").replace("2026-11-22T09:31:57.223Z", "yesterday"),
                            MessageView.class)))
        .isEqualTo("timestamp: is not of the expected type");
  }

  @Test
  void aPageShowsWhatTheClientSkippedOnlyWhenItSkippedSomething() {
    MessagePage none = new MessagePage(List.of(), Optional.empty());
    assertThat(Json.mapper().writeValueAsString(none))
        .isEqualTo("{\"messages\":[],\"next_cursor\":null}");
    MessagePage some =
        new MessagePage(
            List.of(),
            Optional.empty(),
            List.of(new SkippedMessage(Optional.of("1M819J5X70000"), "payload: why")));
    String json = Json.mapper().writeValueAsString(some);
    assertThat(json)
        .contains("\"skipped\":[{\"id\":\"1M819J5X70000\",\"reason\":\"payload: why\"}]");
    assertThat(Json.mapper().readValue(json, MessagePage.class)).isEqualTo(some);
    assertThat(Json.mapper().readValue("{\"dead_letters\":[]}", DeadLetterList.class).skipped())
        .isEmpty();
  }

  private static String failure(Runnable read) {
    try {
      read.run();
    } catch (JacksonException e) {
      return Json.describe(e);
    }
    throw new AssertionError("expected a failure to read");
  }
}
