package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.SendResponse;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK retries sends across a Redis restart: the server runs on a redis-server ({@code
 * appendfsync always}) without a spool, so while Redis is down its sends get {@code 503}, which the
 * SDK retries with one idempotency key per send. A thousand sends in a loop end with exactly those
 * thousand messages stored, none twice.
 */
class SendRetryIT {
  private static final int SENDS = 1000;

  private static final RedisServer redis =
      RedisServer.start(RedisServer.Options.defaults().appendOnly(true).appendFsync("always"));

  @RegisterExtension
  static final TestServer server =
      new TestServer(
          b ->
              b.redis(new RedisOptions(redis.uri(), "sdk-retry", Duration.ofSeconds(1)))
                  .spool(Optional.empty()));

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void aThousandSendsAcrossARedisRestartAreEachStoredOnce() throws Exception {
    AgentCreated reader = server.newAgent("reader");
    CountDownLatch started = new CountDownLatch(200);
    Thread restarter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    started.await();
                    redis.kill();
                    Thread.sleep(3000);
                    redis.restart();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    List<String> ids = new ArrayList<>();
    try (MailroomClient sender = server.client(server.newAgent("sender"))) {
      for (int i = 0; i < SENDS; i++) {
        SendResponse sent = sender.messages().send(Draft.direct(reader.id()).text("m" + i));
        ids.add(sent.id());
        started.countDown();
      }
    }
    restarter.join();

    List<MessageView> stored = new ArrayList<>();
    try (MailroomClient client = server.client(reader)) {
      ListQuery query = ListQuery.builder().limit(1000).order(Order.ASC).build();
      while (true) {
        MessagePage page = client.messages().inbox(query);
        stored.addAll(page.messages());
        if (page.nextCursor().isEmpty()) {
          break;
        }
        query = query.withCursor(page.nextCursor().get());
      }
    }
    assertThat(stored).hasSize(SENDS);
    assertThat(stored.stream().map(MessageView::id).toList()).containsExactlyElementsOf(ids);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < SENDS; i++) {
      texts.add("m" + i);
    }
    assertThat(stored.stream().map(m -> m.payload().asString()).toList())
        .containsExactlyElementsOf(texts);
  }
}
