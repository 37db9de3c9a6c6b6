package dev.mailroom.client;

import static dev.mailroom.client.DispatcherTest.delivery;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.StreamEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {
  @Test
  void theReaderStopsAtCapacityAndIsResumedOnceWhenTheHandlerMakesRoom() throws Exception {
    DeliveryQueue q = new DeliveryQueue(2);
    AtomicInteger resumed = new AtomicInteger();
    assertThat(q.offer(List.of(delivery("a", 1)), resumed::incrementAndGet)).isTrue();
    assertThat(q.offer(List.of(delivery("b", 1)), resumed::incrementAndGet)).isFalse();

    assertThat(q.take()).map(StreamEvent.Delivery::id).contains("a");
    assertThat(resumed).hasValue(1);
    assertThat(q.take()).map(StreamEvent.Delivery::id).contains("b");
    assertThat(resumed).hasValue(1);
  }

  @Test
  void aBatchMayGoOverCapacityButNothingIsLost() throws Exception {
    DeliveryQueue q = new DeliveryQueue(2);
    AtomicInteger resumed = new AtomicInteger();
    List<StreamEvent.Delivery> batch =
        List.of(delivery("a", 1), delivery("b", 1), delivery("c", 1));
    assertThat(q.offer(batch, resumed::incrementAndGet)).isFalse();
    assertThat(q.size()).isEqualTo(3);
    assertThat(q.take()).map(StreamEvent.Delivery::id).contains("a");
    assertThat(resumed).hasValue(0);
    assertThat(q.take()).map(StreamEvent.Delivery::id).contains("b");
    assertThat(resumed).hasValue(1);
  }

  @Test
  void afterStopEveryTakeAnswersEmptyAndOffersAreDropped() throws Exception {
    DeliveryQueue q = new DeliveryQueue(4);
    q.offer(List.of(delivery("a", 1)), () -> {});
    q.stop();
    assertThat(q.take()).isEmpty();
    assertThat(q.take()).isEmpty();
    assertThat(q.offer(List.of(delivery("b", 1)), () -> {})).isTrue();
    assertThat(q.take()).isEmpty();
  }
}
