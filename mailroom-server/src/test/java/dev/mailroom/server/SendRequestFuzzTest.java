package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.Limits;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Payload;
import dev.mailroom.core.SendMode;
import dev.mailroom.protocol.JsonLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing of the body of {@code POST /v1/messages}: {@link JsonBodies}, {@link
 * SendRequestMapper} and {@link PayloadCodec} on the wire mapper of {@code mailroom-protocol}. A
 * body becomes a {@link Draft} that keeps every limit, or is refused with field errors naming
 * fields of the body, or (a payload over the inline limit) with {@link
 * MailroomException.LimitExceeded}; never with another exception. A payload survives the trip wire,
 * stored, wire, stored unchanged, and its stored form says what the sender sent.
 *
 * <p>Limits are small here (256-byte payloads, 128 bytes of metadata, 3 tags) so that the fuzzer
 * reaches them.
 *
 * <p>In {@code bin/build verify} the seeds under {@code src/test/resources/.../
 * SendRequestFuzzTestInputs} run, then 20,000 inputs of fuzzing from a fixed seed. The long run (10
 * minutes from a random seed; {@code -Djazzer.max_duration=30m} for longer):
 *
 * <pre>
 * bin/build -pl mailroom-server -am test -Dtest=SendRequestFuzzTest \
 *   -Pfuzz-long -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SendRequestFuzzTest {
  private static final Limits LIMITS =
      new Limits(256, 128, 3, Duration.ofDays(1), Duration.ofDays(30));
  private static final JsonMapper MAPPER = JsonBodies.mapper(JsonLimits.DEFAULTS);
  private static final SendRequestMapper SENDS =
      new SendRequestMapper(MAPPER, LIMITS, JsonLimits.DEFAULTS);

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({
    "\"mode\"",
    "\"target\"",
    "\"content_type\"",
    "\"language\"",
    "\"payload\"",
    "\"priority\"",
    "\"tags\"",
    "\"metadata\"",
    "\"ttl_seconds\"",
    "\"thread_id\"",
    "\"in_reply_to\"",
    "\"idempotency_key\"",
    "\"direct\"",
    "\"topic\"",
    "\"broadcast\"",
    "\"text/plain\"",
    "\"text/markdown\"",
    "\"text/code\"",
    "\"application/json\"",
    "\"application/octet-stream\"",
    "\"text/uri-list\"",
    "\"urgent\"",
    "null",
    "true",
    "1e999",
    "\\u",
    "\\ud800",
    "{\"a\":[1.0,{}]}",
    "\"01JH7ZQ3K5X8M\""
  })
  void aSendBodyIsAValidDraftOrRefusedByField(byte[] input) {
    Draft draft;
    try {
      draft = SENDS.map(input);
    } catch (MailroomException.InvalidRequest e) {
      FuzzChecks.refusal(
          e,
          FuzzChecks.quotable(input),
          FuzzChecks.bodyFields(input, SendRequestMapper.FIELDS, "tags["));
      return;
    } catch (MailroomException.LimitExceeded e) {
      FuzzChecks.cleanMessage(e.getMessage(), FuzzChecks.quotable(input));
      return;
    }
    JsonNode body = MAPPER.readTree(input);
    keepsTheLimits(draft);
    payloadRoundTrips(draft, body.get("payload"));
  }

  private static void keepsTheLimits(Draft d) {
    assertThat(d.target().isPresent()).isEqualTo(d.mode() != SendMode.BROADCAST);
    assertThat(d.tags()).hasSizeLessThanOrEqualTo(LIMITS.maxTags()).doesNotHaveDuplicates();
    assertThat(d.metadata().getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(LIMITS.maxMetadataBytes());
    assertThat(MAPPER.readTree(d.metadata()).isObject()).isTrue();
    d.ttl().ifPresent(t -> assertThat(t).isBetween(Duration.ofSeconds(1), LIMITS.maxTtl()));
    assertThat(d.payload().size()).isLessThanOrEqualTo(LIMITS.maxPayloadBytes());
    assertThat(d.language().isPresent()).isEqualTo(d.contentType() == ContentType.TEXT_CODE);
    d.idempotencyKey().ifPresent(k -> assertThat(k).isNotEmpty().hasSizeLessThanOrEqualTo(256));
  }

  private static void payloadRoundTrips(Draft d, JsonNode sent) {
    PayloadCodec codec = SENDS.payloads();
    Payload stored = d.payload();
    JsonNode wire =
        MAPPER.readTree(MAPPER.writeValueAsString(codec.encode(d.contentType(), stored)));
    FieldErrors errors = new FieldErrors();
    Optional<Payload> again = codec.decode(d.contentType(), wire, errors);
    assertThat(errors.isEmpty()).as("errors decoding %s", wire).isTrue();
    assertThat(again).contains(stored);

    switch (d.contentType().encoding()) {
      case TEXT -> assertThat(stored.text()).isEqualTo(sent.stringValue());
      case JSON -> {
        JsonNode value = sent.isString() ? MAPPER.readTree(sent.stringValue()) : sent;
        assertThat(MAPPER.readTree(stored.bytes())).isEqualTo(value);
      }
      case BASE64 -> {
        // Either alphabet, padding optional: what the sender meant, read by the JDK's decoder.
        String standard = sent.stringValue().replace('-', '+').replace('_', '/');
        assertThat(stored.bytes()).isEqualTo(Base64.getDecoder().decode(standard));
      }
    }
  }
}
