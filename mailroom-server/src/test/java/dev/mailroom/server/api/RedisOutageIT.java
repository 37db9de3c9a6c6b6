package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.store.redis.RedisOptions;
import dev.mailroom.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A node whose redis-server is killed (SIGKILL) under load from eight senders, stays down for 10 s
 * and is started again. Redis runs with {@code appendfsync always}, so what it acknowledged is on
 * its disk: the test asserts that the node loses nothing it acknowledged either. Every send gets
 * its {@code 201} (spooled while Redis is down), every message is stored once, in each sender's
 * order, and a WebSocket subscriber receives each once.
 */
class RedisOutageIT {
  private static final int SENDERS = 8;
  private static final Duration BEFORE = Duration.ofMillis(1500);
  private static final Duration DOWN = Duration.ofSeconds(10);
  private static final Duration AFTER = Duration.ofSeconds(3);

  /** Between one sender's sends: eight senders send at most a few thousand messages a second. */
  private static final Duration PACE = Duration.ofMillis(2);

  private static final RedisServer redis =
      RedisServer.start(RedisServer.Options.defaults().appendOnly(true).appendFsync("always"));

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.redis(new RedisOptions(redis.uri(), "outage", Duration.ofSeconds(1)))
                  // Room for everything the senders send: no inbox drops its oldest.
                  .retention(RetentionPolicy.DEFAULTS.withMaxInboxSize(1_000_000)));

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void everySendThroughAnOutageIsStoredAndDeliveredOnceInItsSendersOrder() throws Exception {
    Agent reader = api.newAgent("reader");
    List<Agent> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(api.newAgent("sender" + i));
    }
    Map<String, Integer> received = new ConcurrentHashMap<>();
    List<List<String>> sent = new ArrayList<>();
    List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger spooled = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();

    try (StreamClient.Ws stream = Streams.connect(api, reader, "")) {
      Thread receiver =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      StreamClient.Event e;
                      try {
                        e = stream.events.poll(100, TimeUnit.MILLISECONDS);
                      } catch (InterruptedException x) {
                        return;
                      }
                      if (e != null && e.type().equals("message")) {
                        String id = e.json().get("id").asString();
                        received.merge(id, 1, Integer::sum);
                        stream.ack(List.of(id));
                      }
                    }
                  });
      List<Thread> threads = new ArrayList<>();
      for (Agent sender : senders) {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        sent.add(ids);
        threads.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      ApiClient client = api.as(sender);
                      for (int n = 0; !stop.get(); n++) {
                        Response r =
                            client.send(
                                Map.of(
                                    "mode",
                                    "direct",
                                    "target",
                                    reader.id(),
                                    "content_type",
                                    "text/plain",
                                    "payload",
                                    sender.id() + " " + n));
                        if (r.status() != 201) {
                          refusals.add(r.toString());
                          continue;
                        }
                        ids.add(Json.text(r.json(), "id"));
                        if (r.header("Mailroom-Spooled").isPresent()) {
                          spooled.incrementAndGet();
                        }
                        pause(PACE);
                      }
                    }));
      }
      Thread.sleep(BEFORE.toMillis());
      redis.kill();
      Thread.sleep(DOWN.toMillis());
      redis.restart();
      Thread.sleep(AFTER.toMillis());
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }

      System.out.printf(
          "RedisOutageIT: %d sends answered 201, %d of them spooled; health after: %s%n",
          sent.stream().mapToInt(List::size).sum(),
          spooled.get(),
          api.admin().get("/health").json().path("components").path("store"));
      assertThat(refusals).isEmpty();
      assertThat(spooled.get()).as("sends spooled while Redis was down").isPositive();
      await().atMost(Duration.ofSeconds(60)).until(() -> spoolDepth() == 0);
      assertThat(api.admin().get("/metrics").body())
          .contains("mailroom_spool_depth 0.0")
          .contains("mailroom_messages_spooled_total " + spooled.get() + ".0");

      List<String> all = new ArrayList<>();
      sent.forEach(all::addAll);
      List<JsonNode> inbox = inbox(reader);
      assertThat(inbox.stream().map(m -> Json.text(m, "id")).toList())
          .containsExactlyInAnyOrderElementsOf(all);
      for (int i = 0; i < SENDERS; i++) {
        String sender = senders.get(i).id();
        List<String> inOrder =
            inbox.stream()
                .filter(m -> Json.text(m, "sender").equals(sender))
                .map(m -> Json.text(m, "id"))
                .toList();
        assertThat(inOrder).as("%s's messages in the inbox", sender).isEqualTo(sent.get(i));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == all.size());
      receiver.interrupt();
      receiver.join();
      assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(all);
      assertThat(received.values()).as("deliveries per message").allMatch(n -> n == 1);
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long spoolDepth() {
    Response r = api.admin().get("/health");
    return r.json().path("components").path("store").path("spool").path("depth").asLong(-1);
  }

  /** The reader's whole inbox, oldest first. */
  private static List<JsonNode> inbox(Agent reader) {
    return api.as(reader).listAll("/v1/inbox", Query.of("order", "asc"), 1000);
  }
}
