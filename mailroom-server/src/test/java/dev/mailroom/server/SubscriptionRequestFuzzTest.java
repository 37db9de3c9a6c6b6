package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.delivery.DeliveryService;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.protocol.JsonLimits;
import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Coverage-guided fuzzing of the body of {@code POST /v1/subscriptions} and {@code POST
 * /v1/topics/{name}/join}: {@link JsonBodies}, {@link BodyFields} (strings, whole numbers, numbers,
 * booleans, nested objects, string arrays, unknown fields) and {@link SubscriptionRoutes#request},
 * as the routes call them. A body becomes a request whose settings lie within their documented
 * bounds, or is refused with field errors naming fields of the body; never with another exception.
 *
 * <p>In {@code bin/build verify} the seeds under {@code src/test/resources/.../
 * SubscriptionRequestFuzzTestInputs} run, then 20,000 inputs of fuzzing from a fixed seed. The long
 * run (10 minutes from a random seed; {@code -Djazzer.max_duration=30m} for longer):
 *
 * <pre>
 * bin/build -pl mailroom-server -am test -Dtest=SubscriptionRequestFuzzTest \
 *   -Pfuzz-long -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SubscriptionRequestFuzzTest {
  private static final JsonMapper MAPPER = JsonBodies.mapper(JsonLimits.DEFAULTS);
  private static final Set<String> FIELDS = SubscriptionRoutes.fields();

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({
    "\"pattern\"",
    "\"delivery_mode\"",
    "\"filter\"",
    "\"max_queue_size\"",
    "\"auto_ack\"",
    "\"batch_size\"",
    "\"batch_window_seconds\"",
    "\"sender\"",
    "\"min_priority\"",
    "\"content_type\"",
    "\"tags\"",
    "\"realtime\"",
    "\"batch\"",
    "\"polling\"",
    "\"**\"",
    "\"agents.*.inbox\"",
    "null",
    "true",
    "1e-9",
    "0.0001",
    "3600",
    "-0",
    "1e999"
  })
  void aSubscriptionBodyIsARequestWithinBoundsOrRefusedByField(byte[] input) {
    DeliveryService.Request request;
    try {
      request = SubscriptionRoutes.request(JsonBodies.readObject(MAPPER, input), pattern -> {});
    } catch (MailroomException.InvalidRequest e) {
      FuzzChecks.refusal(
          e, FuzzChecks.quotable(input), FuzzChecks.bodyFields(input, FIELDS, "filter."));
      return;
    }
    assertThat(request.batchSize()).isBetween(1, SubscriptionRoutes.MAX_BATCH_SIZE);
    assertThat(request.maxQueueSize()).isBetween(1, SubscriptionRoutes.MAX_MAX_QUEUE_SIZE);
    assertThat(request.batchWindow())
        .isBetween(
            Duration.ofMillis(1),
            Duration.ofSeconds((long) SubscriptionRoutes.MAX_BATCH_WINDOW_SECONDS));
    assertThat(SubscriptionPattern.of(request.pattern().value())).isEqualTo(request.pattern());
  }
}
