package dev.mailroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamEventTest {
  private static final String MESSAGE =
      "{\"id\":\"1M819J5X70000\",\"timestamp\":\"2026-11-22T09:31:57.223Z\",\"sender\":\"alice\","
          + "\"mode\":\"direct\",\"target\":\"bob\",\"content_type\":\"text/plain\","
          + "\"payload\":\"hi bob\",\"priority\":\"normal\",\"tags\":[],\"metadata\":{},"
          + "\"expires_at\":\"2026-11-29T09:31:57.223Z\"}";

  private static StreamEvent parse(String json) {
    return StreamEvent.parse(Json.mapper(), json);
  }

  @Test
  void everyEventTypeOfTheApiIsRead() {
    assertThat(
            parse(
                "{\"type\":\"connected\",\"agent_id\":\"bob\",\"resumed_after\":null,"
                    + "\"heartbeat_seconds\":15.0,\"max_attempts\":3}"))
        .isEqualTo(new StreamEvent.Connected("bob", java.util.Optional.empty(), 15.0, 3));
    StreamEvent message =
        parse(
            "{\"type\":\"message\",\"id\":\"1M819J5X70000\",\"subscription_id\":\"inbox\","
                + "\"attempt\":2,\"message\":"
                + MESSAGE
                + "}");
    assertThat(message)
        .isInstanceOfSatisfying(
            StreamEvent.Delivery.class,
            d -> {
              assertThat(d.attempt()).isEqualTo(2);
              assertThat(d.message().payload().asString()).isEqualTo("hi bob");
            });
    StreamEvent batch =
        parse(
            "{\"type\":\"batch\",\"subscription_id\":\"sub_1\",\"deliveries\":[{\"id\":"
                + "\"1M819J5X70000\",\"subscription_id\":\"sub_1\",\"attempt\":1,\"message\":"
                + MESSAGE
                + "}]}");
    assertThat(batch)
        .isInstanceOfSatisfying(
            StreamEvent.Batch.class, b -> assertThat(b.deliveries()).hasSize(1));
    StreamEvent coalesced =
        parse(
            "{\"type\":\"deliveries\",\"deliveries\":[{\"id\":\"1M819J5X70000\","
                + "\"subscription_id\":\"inbox\",\"attempt\":1,\"message\":"
                + MESSAGE
                + "},{\"id\":\"1M819J5X70000\",\"subscription_id\":\"sub_1\",\"attempt\":3,"
                + "\"message\":"
                + MESSAGE
                + "}]}");
    assertThat(coalesced)
        .isInstanceOfSatisfying(
            StreamEvent.Deliveries.class,
            d ->
                assertThat(d.deliveries())
                    .extracting(StreamEvent.Delivery::subscriptionId, StreamEvent.Delivery::attempt)
                    .containsExactly(tuple("inbox", 1), tuple("sub_1", 3)));
    assertThat(parse("{\"type\":\"heartbeat\",\"time\":\"2026-11-22T09:32:12.004Z\"}"))
        .isEqualTo(new StreamEvent.Heartbeat(Instant.parse("2026-11-22T09:32:12.004Z")));
    assertThat(parse("{\"type\":\"error\",\"detail\":\"what?\"}"))
        .isEqualTo(new StreamEvent.FrameError("what?"));
  }

  @Test
  void anUnknownTypeIsKeptForForwardCompatibilityAndAnythingElseIsRefused() {
    assertThat(parse("{\"type\":\"future\",\"x\":1}"))
        .isInstanceOfSatisfying(
            StreamEvent.Unknown.class, u -> assertThat(u.type()).isEqualTo("future"));
    assertThatThrownBy(() -> parse("[1]")).isInstanceOf(IllegalArgumentException.class);
  }
}
