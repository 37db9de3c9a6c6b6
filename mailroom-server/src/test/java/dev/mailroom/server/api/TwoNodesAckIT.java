package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An acknowledgement reaches an agent's stream through the store's change events, whichever node
 * took it and however it came (REST ack, REST read): the stream on the other node frees the slot at
 * once instead of waiting for the delivery's ack deadline.
 */
class TwoNodesAckIT {
  private static final String NAMESPACE = "two-nodes-ack-" + UUID.randomUUID();

  /** One delivery in flight per stream, and an ack deadline far longer than any wait below. */
  private static final DeliverySettings ONE_AT_A_TIME =
      new DeliverySettings(
          Duration.ofSeconds(30),
          2.0,
          Duration.ofSeconds(60),
          0.0,
          3,
          Duration.ofSeconds(15),
          1,
          Duration.ofSeconds(30));

  @RegisterExtension static final MailroomApi a = new MailroomApi(TwoNodesAckIT::node);
  @RegisterExtension static final MailroomApi b = new MailroomApi(TwoNodesAckIT::node);

  private static ServerConfig.Builder node(ServerConfig.Builder builder) {
    return builder
        .redis(RedisOptions.of(SharedRedis.standalone().uri()).withNamespace(NAMESPACE))
        .delivery(ONE_AT_A_TIME);
  }

  @Test
  void anAckOrReadThroughOneNodeFreesTheStreamOnTheOther() {
    Agent publisher = b.newAgent("pub");
    Agent reader = a.newAgent("reader");
    subscribe(a.as(reader), "acks.*", false);
    try (var stream = connect(a, reader, "")) {
      String first = publish(b.as(publisher), "acks.one", "first");
      String second = publish(b.as(publisher), "acks.one", "second");
      String third = publish(b.as(publisher), "acks.one", "third");

      assertThat(stream.nextMessage().json().get("id").asString()).isEqualTo(first);
      stream.assertQuiet(Duration.ofMillis(500)); // one in flight: the second waits

      Response ack = b.as(reader).post("/v1/messages/" + first + "/ack", null);
      assertThat(ack.status()).as("%s", ack).isEqualTo(200);
      assertThat(stream.nextMessage().json().get("id").asString()).isEqualTo(second);

      Response read = b.as(reader).post("/v1/messages/" + second + "/read", null);
      assertThat(read.status()).as("%s", read).isEqualTo(204);
      assertThat(stream.nextMessage().json().get("id").asString()).isEqualTo(third);
    }
  }
}
