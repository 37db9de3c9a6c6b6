package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailroomException;
import dev.mailroom.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

  private static FieldError refusal(String body) {
    MailroomException.InvalidRequest e =
        catchThrowableOfType(
            MailroomException.InvalidRequest.class,
            () -> JsonBodies.readObject(Json.mapper(), body.getBytes(StandardCharsets.UTF_8)));
    assertThat(e).as("expected %s to be refused", body).isNotNull();
    assertThat(e.errors()).hasSize(1);
    return e.errors().getFirst();
  }

  /**
   * Found by SubscriptionRequestFuzzTest and SendRequestFuzzTest: the parser's message named its
   * own types ({@code JsonToken.VALUE_NUMBER_FLOAT}, {@code tools.jackson.databind.JsonNode},
   * {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}).
   */
  @ParameterizedTest
  @ValueSource(strings = {"{\"pattern\":\"a\"}0.0001", "{} {}", "{}\"x\"", "{}[1]", "{} null"})
  void aBodyWithMoreAfterItsObjectIsRefusedInPlainWords(String body) {
    FieldError error = refusal(body);

    assertThat(error.field()).isEqualTo("body");
    assertThat(error.message())
        .startsWith("is not valid JSON: has more content after the JSON value (line 1, column ")
        .doesNotContain("`", "Token", "jackson", "Feature", "JsonNode");
  }

  /**
   * Found by SubscriptionRequestFuzzTest: a number whose exponent no decimal can hold made the
   * parser throw NumberFormatException, which the server answered with 500.
   */
  @ParameterizedTest
  @ValueSource(strings = {"{\"batch_size\":53600441e999444444444444}", "{\"a\":[1e-2147483649]}"})
  void aNumberWhoseExponentNoDecimalCanHoldIsRefused(String body) {
    FieldError error = refusal(body);

    assertThat(error.field()).isEqualTo("body");
    assertThat(error.message()).isEqualTo("is not valid JSON: a number is out of range");
  }

  /**
   * Found by SendRequestFuzzTest and SubscriptionRequestFuzzTest once the parser was opened outside
   * the parse's own error handling: bytes that look like UTF-32 of an unusual order failed as the
   * parser opened, and escaped as an unexpected error (a 500).
   */
  @ParameterizedTest
  @ValueSource(strings = {"00004b00001160", "0000e900293a2a"})
  void bytesThatLookLikeUtf32AreRefusedNamingTheBody(String hex) {
    MailroomException.InvalidRequest e =
        catchThrowableOfType(
            MailroomException.InvalidRequest.class,
            () -> JsonBodies.readObject(Json.mapper(), HexFormat.of().parseHex(hex)));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("body");
  }

  /**
   * Found by SendRequestFuzzTest: the parser read overlong UTF-8 ({@code C0 AE} as {@code .}) and
   * other malformed sequences instead of refusing them.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "7b2261223a22c0ae227d", // overlong '.'
        "7b2261223a22e080af227d", // overlong '/' in three bytes
        "7b2261223a22eda080227d", // an encoded surrogate
        "7b2261223a22f4908080227d", // past U+10FFFF
        "7b2261223a22f5227d", // a byte UTF-8 never uses
        "7b2261223a2280227d", // a continuation byte alone
        "7b2261223a22e282" // cut short at the end
      })
  void malformedUtf8IsRefusedNamingTheBody(String hex) {
    MailroomException.InvalidRequest e =
        catchThrowableOfType(
            MailroomException.InvalidRequest.class,
            () -> JsonBodies.readObject(Json.mapper(), HexFormat.of().parseHex(hex)));

    assertThat(e).isNotNull();
    assertThat(e.errors()).extracting(FieldError::field).containsExactly("body");
    assertThat(e.errors().getFirst().message()).startsWith("is not valid UTF-8");
  }

  @ParameterizedTest
  @ValueSource(strings = {"é", "€", "\uD83D\uDCEC", "\u0800", "\uFFFD"})
  void wellFormedUtf8OfEveryLengthIsRead(String text) {
    byte[] body = ("{\"a\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);

    assertThat(JsonBodies.readObject(Json.mapper(), body).get("a").asString()).isEqualTo(text);
  }
}
