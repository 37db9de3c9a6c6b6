package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * 2,000 sends from 32 concurrent clients (32 agents, each with its own HTTP connection pool) into
 * one inbox: each is stored exactly once, ids are unique and follow real time.
 */
class ConcurrentSendIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final int CLIENTS = 32;
  private static final int MESSAGES = 2_000;

  /** One acknowledged send, with when it started and when its answer arrived. */
  record Sent(
      int client, String payload, String id, Instant timestamp, long startNanos, long endNanos) {}

  private static Agent sink;
  private static List<Sent> sent;

  @BeforeAll
  static void sendConcurrently() throws Exception {
    sink = api.newAgent("sink");
    List<Agent> senders = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      senders.add(api.newAgent("sender"));
    }
    AtomicInteger next = new AtomicInteger();
    ConcurrentLinkedQueue<Sent> done = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  try (HttpClient http = ApiClient.newHttpClient()) {
                    ApiClient as = api.as(senders.get(client)).over(http);
                    go.await();
                    for (int n = next.getAndIncrement(); n < MESSAGES; n = next.getAndIncrement()) {
                      String payload = "message-" + n;
                      long start = System.nanoTime();
                      JsonNode answer = as.sendOk(plain(sink.id(), payload));
                      long end = System.nanoTime();
                      done.add(
                          new Sent(
                              client,
                              payload,
                              text(answer, "id"),
                              Times.parse(text(answer, "timestamp")),
                              start,
                              end));
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }
    sent = List.copyOf(done);
  }

  @Test
  void everySendIsAcknowledgedWithAUniqueId() {
    assertThat(sent).hasSize(MESSAGES);
    assertThat(sent)
        .extracting(Sent::id)
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).hasSize(13));
    assertThat(sent).extracting(Sent::payload).doesNotHaveDuplicates();
  }

  @Test
  void everyMessageIsStoredExactlyOnce() {
    Map<String, String> payloadById =
        sent.stream().collect(Collectors.toMap(Sent::id, Sent::payload));

    for (int limit : new int[] {1000, 77}) {
      List<JsonNode> listed = api.as(sink).listAll("/v1/inbox", Query.NONE, limit);

      assertThat(listed).hasSize(MESSAGES);
      Map<String, String> listedPayloads =
          listed.stream().collect(Collectors.toMap(m -> text(m, "id"), m -> text(m, "payload")));
      assertThat(listedPayloads).isEqualTo(payloadById);
    }
    assertThat(api.as(sink).unreadCount()).isEqualTo(MESSAGES);
  }

  @Test
  void pagingInAscendingOrderYieldsStrictlyIncreasingIdsAndTimestamps() {
    List<JsonNode> listed = api.as(sink).listAll("/v1/inbox", Query.of("order", "asc"), 500);

    List<String> ids = listed.stream().map(m -> text(m, "id")).toList();
    assertThat(ids).hasSize(MESSAGES).doesNotHaveDuplicates().isSorted();
    assertThat(listed).extracting(m -> Times.parse(text(m, "timestamp"))).isSorted();
  }

  @Test
  void pagingInDescendingOrderYieldsTheSameIdsReversed() {
    List<String> asc = api.as(sink).listIds("/v1/inbox", Query.NONE, 1000);
    List<String> desc = api.as(sink).listIds("/v1/inbox", Query.of("order", "desc"), 333);

    List<String> reversed = new ArrayList<>(asc);
    Collections.reverse(reversed);
    assertThat(desc).isEqualTo(reversed);
  }

  @Test
  void idsSortLikeTheirTimestamps() {
    List<Sent> byId = sent.stream().sorted(Comparator.comparing(Sent::id)).toList();

    assertThat(byId).extracting(Sent::timestamp).isSorted();
  }

  @Test
  void eachClientsIdsIncreaseInItsSendOrder() {
    Map<Integer, List<Sent>> byClient = new HashMap<>();
    for (Sent s : sent) {
      byClient.computeIfAbsent(s.client(), k -> new ArrayList<>()).add(s);
    }
    for (List<Sent> mine : byClient.values()) {
      List<String> idsInSendOrder =
          mine.stream().sorted(Comparator.comparingLong(Sent::startNanos)).map(Sent::id).toList();
      assertThat(idsInSendOrder).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aSendStartedAfterAnotherWasAcknowledgedGetsALargerId() {
    List<Sent> byEnd = sent.stream().sorted(Comparator.comparingLong(Sent::endNanos)).toList();
    List<Sent> byStart = sent.stream().sorted(Comparator.comparingLong(Sent::startNanos)).toList();
    int finished = 0;
    Sent latestAcknowledged = null;
    for (Sent s : byStart) {
      while (finished < byEnd.size() && byEnd.get(finished).endNanos() < s.startNanos()) {
        Sent f = byEnd.get(finished++);
        if (latestAcknowledged == null || f.id().compareTo(latestAcknowledged.id()) > 0) {
          latestAcknowledged = f;
        }
      }
      if (latestAcknowledged != null) {
        assertThat(s.id())
            .as("%s was sent after %s was acknowledged", s, latestAcknowledged)
            .isGreaterThan(latestAcknowledged.id());
      }
    }
  }
}
