package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Payload;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.JsonLimits;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class PayloadCodecTest {
  private static final int LIMIT = 64;
  private final PayloadCodec codec =
      new PayloadCodec(JsonBodies.mapper(JsonLimits.DEFAULTS), LIMIT, JsonLimits.DEFAULT_MAX_DEPTH);

  private static JsonNode json(String text) {
    return Json.mapper().readTree(text);
  }

  private static JsonNode string(String s) {
    return JsonNodeFactory.instance.stringNode(s);
  }

  private Payload decodeOk(ContentType type, JsonNode node) {
    FieldErrors errors = new FieldErrors();
    Optional<Payload> p = codec.decode(type, node, errors);
    assertThat(errors.isEmpty()).as("errors for %s", node).isTrue();
    return p.orElseThrow();
  }

  private void assertRefused(ContentType type, JsonNode node, String messagePart) {
    FieldErrors errors = new FieldErrors();
    assertThat(codec.decode(type, node, errors)).isEmpty();
    assertThatThrownBy(errors::throwIfAny)
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e ->
                assertThat(e.errors())
                    .singleElement()
                    .satisfies(
                        f -> {
                          assertThat(f.field()).isEqualTo("payload");
                          assertThat(f.message()).contains(messagePart);
                        }));
  }

  private String wire(ContentType type, Payload p) {
    return Json.mapper().writeValueAsString(codec.encode(type, p));
  }

  @Nested
  class Text {
    @ParameterizedTest
    @EnumSource(
        value = ContentType.class,
        names = {"TEXT_PLAIN", "TEXT_MARKDOWN", "TEXT_CODE"})
    void textTravelsAsAJsonStringAndIsStoredAsUtf8(ContentType type) {
      Payload p = decodeOk(type, string("héllo \"wörld\"\n"));

      assertThat(p.text()).isEqualTo("héllo \"wörld\"\n");
      assertThat(wire(type, p)).isEqualTo("\"héllo \\\"wörld\\\"\\n\"");
    }

    @Test
    void textMustBeAString() {
      assertRefused(ContentType.TEXT_PLAIN, json("{\"a\":1}"), "must be a JSON string");
      assertRefused(ContentType.TEXT_MARKDOWN, json("12"), "must be a JSON string");
    }

    @Test
    void theLimitCountsUtf8Bytes() {
      String atLimit = "é".repeat(LIMIT / 2);
      assertThat(decodeOk(ContentType.TEXT_PLAIN, string(atLimit)).size()).isEqualTo(LIMIT);

      assertThatThrownBy(
              () -> codec.decode(ContentType.TEXT_PLAIN, string(atLimit + "x"), new FieldErrors()))
          .isInstanceOfSatisfying(
              MailroomException.LimitExceeded.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    }
  }

  @Nested
  class Reference {
    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/a?b=c#d", "s3://bucket/key", "urn:isbn:123"})
    void anAbsoluteUriIsAccepted(String uri) {
      assertThat(decodeOk(ContentType.REFERENCE, string(uri)).text()).isEqualTo(uri);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"", "relative/path", "https://a.example\nhttps://b.example", "http://x y", "::"})
    void anythingButOneAbsoluteUriIsRefused(String text) {
      assertRefused(ContentType.REFERENCE, string(text), "absolute URI");
    }
  }

  @Nested
  class JsonValues {
    @Test
    void aJsonValueIsStoredCompactAndWrittenBackAsTheSameValue() {
      Payload p = decodeOk(ContentType.APPLICATION_JSON, json("{ \"a\" : [1, 2.50, null] }"));

      assertThat(p.text()).isEqualTo("{\"a\":[1,2.50,null]}");
      assertThat(wire(ContentType.APPLICATION_JSON, p)).isEqualTo("{\"a\":[1,2.50,null]}");
    }

    @Test
    void numbersKeepEveryDigit() {
      Payload p =
          decodeOk(
              ContentType.APPLICATION_JSON,
              json("[0.10000000000000000555, 12345678901234567890123]"));

      assertThat(p.text()).isEqualTo("[0.10000000000000000555,12345678901234567890123]");
    }

    @Test
    void aJsonStringIsReadAsJsonText() {
      Payload p = decodeOk(ContentType.APPLICATION_JSON, string("{\"a\": true}"));

      assertThat(p.text()).isEqualTo("{\"a\":true}");
    }

    @Test
    void scalarsAreJsonValuesToo() {
      assertThat(decodeOk(ContentType.APPLICATION_JSON, json("true")).text()).isEqualTo("true");
      assertThat(decodeOk(ContentType.APPLICATION_JSON, string("\"quoted\"")).text())
          .isEqualTo("\"quoted\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{bad", "", "   ", "[1,]", "{\"a\":1} trailing", "hello"})
    void aStringThatIsNotJsonTextIsRefused(String text) {
      assertRefused(ContentType.APPLICATION_JSON, string(text), "is not valid JSON");
    }

    /** Found by SubscriptionRequestFuzzTest: the parser threw NumberFormatException (a 500). */
    @ParameterizedTest
    @ValueSource(strings = {"1e2147483648", "[5e99999999999999999999]", "{\"a\":1E-2147483649}"})
    void aNumberWhoseExponentNoDecimalCanHoldIsRefused(String text) {
      assertRefused(
          ContentType.APPLICATION_JSON,
          string(text),
          "is not valid JSON: a number is out of range");
    }
  }

  @Nested
  class Binary {
    private final byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x00, 0x41, (byte) 0xbe};

    @Test
    void standardAndUrlSafeBase64AreBothAccepted() {
      String standard = Base64.getEncoder().encodeToString(bytes);
      String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      assertThat(standard).containsAnyOf("+", "/");

      assertThat(decodeOk(ContentType.OCTET_STREAM, string(standard)).bytes()).isEqualTo(bytes);
      assertThat(decodeOk(ContentType.OCTET_STREAM, string(urlSafe)).bytes()).isEqualTo(bytes);
    }

    @Test
    void bytesAreWrittenBackInStandardPaddedBase64() {
      Payload p = Payload.of(bytes);

      assertThat(wire(ContentType.OCTET_STREAM, p))
          .isEqualTo("\"" + Base64.getEncoder().encodeToString(bytes) + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "aGVsbG8=x", "a", "aGVs bG8=", "aGV+bG8-"})
    void badBase64IsRefused(String text) {
      assertRefused(ContentType.OCTET_STREAM, string(text), "base64");
    }

    @Test
    void binaryMustBeAString() {
      assertRefused(ContentType.OCTET_STREAM, json("[1,2]"), "must be a JSON string");
    }

    @Test
    void theLimitCountsDecodedBytes() {
      byte[] atLimit = new byte[LIMIT];
      String encoded = Base64.getEncoder().encodeToString(atLimit);
      assertThat(encoded.length()).isGreaterThan(LIMIT);
      assertThat(decodeOk(ContentType.OCTET_STREAM, string(encoded)).size()).isEqualTo(LIMIT);

      String over = Base64.getEncoder().encodeToString(new byte[LIMIT + 1]);
      assertThatThrownBy(
              () -> codec.decode(ContentType.OCTET_STREAM, string(over), new FieldErrors()))
          .isInstanceOf(MailroomException.LimitExceeded.class);
    }
  }

  @Test
  void textRoundTripsThroughTheWire() {
    Payload p = Payload.of("x y".getBytes(StandardCharsets.UTF_8));

    assertThat(decodeOk(ContentType.TEXT_PLAIN, json(wire(ContentType.TEXT_PLAIN, p))))
        .isEqualTo(p);
  }
}
