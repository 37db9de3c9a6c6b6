package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static dev.mailroom.server.api.Streams.publish;
import static dev.mailroom.server.api.Streams.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A subscriber that goes away and comes back gets exactly what it missed, then live traffic. */
class StreamResumeIT {
  /** Acks have 30 s before any redelivery, so none happens by accident during a test. */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofSeconds(30), 2, 0)));

  @Test
  void aWebSocketSubscriberGetsExactlyTheHundredItMissedInOrderThenLiveTraffic() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    subscribe(api.as(reader), "resume.ws", false);
    try (var ws = connect(api, reader, "")) {
      String first = publish(api.as(publisher), "resume.ws", "before");
      assertThat(ws.messageIds(1)).containsExactly(first);
      ws.ack(List.of(first));
    }
    List<String> missed = publish(api.as(publisher), "resume.ws", 100);
    try (var ws = connect(api, reader, "")) {
      List<String> got = ws.messageIds(100);
      assertThat(got).containsExactlyElementsOf(missed);
      ws.ack(got);
      String live = publish(api.as(publisher), "resume.ws", "live");
      assertThat(ws.messageIds(1)).containsExactly(live);
      ws.ack(List.of(live));
      ws.assertQuiet(Duration.ofMillis(500));
    }
  }

  @Test
  void anSseSubscriberResumesFromLastEventId() {
    Agent publisher = api.newAgent("pub");
    Agent reader = api.newAgent("reader");
    subscribe(api.as(reader), "resume.sse", false);
    List<String> seen;
    String lastEventId;
    try (var sse = StreamClient.sse(api.as(reader), api.baseUri(), reader.token(), "", null)) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.next().type()).isEqualTo("connected");
      seen = publish(api.as(publisher), "resume.sse", 10);
      StreamClient.Event last = null;
      for (int i = 0; i < 10; i++) {
        last = sse.nextMessage();
        assertThat(last.id()).isEqualTo(seen.get(i));
      }
      lastEventId = last.id();
      // Gone before acknowledging anything: only Last-Event-ID says what it received.
    }
    List<String> missed = publish(api.as(publisher), "resume.sse", 100);
    try (var sse =
        StreamClient.sse(api.as(reader), api.baseUri(), reader.token(), "", lastEventId)) {
      assertThat(sse.next().json().get("resumed_after").asString()).isEqualTo(lastEventId);
      List<String> got = sse.messageIds(100);
      assertThat(got).containsExactlyElementsOf(missed);
      sse.ack(seen);
      sse.ack(got);
      String live = publish(api.as(publisher), "resume.sse", "live");
      StreamClient.Event pushed = sse.nextMessage();
      assertThat(pushed.id()).isEqualTo(live);
      sse.ack(List.of(live));
      sse.assertQuiet(Duration.ofMillis(500));
    }
  }

  @Test
  void directMessagesAreStreamedToo() {
    Agent sender = api.newAgent("sender");
    Agent reader = api.newAgent("reader");
    try (var ws = connect(api, reader, "?auto_ack=true")) {
      String id = Streams.direct(api.as(sender), reader, "hi");
      StreamClient.Event e = ws.nextMessage();
      assertThat(e.json().get("id").asString()).isEqualTo(id);
      assertThat(e.json().get("subscription_id").asString()).isEqualTo("inbox");
    }
    // auto_ack: nothing is pending any more, so a new stream is quiet.
    try (var ws = connect(api, reader, "")) {
      ws.assertQuiet(Duration.ofMillis(500));
    }
  }

  @Test
  void aStreamNeedsAValidTokenAndAKnownTransport() throws Exception {
    var http = ApiClient.newHttpClient();
    try {
      for (String auth : new String[] {null, "Bearer mr_not_a_real_token"}) {
        var builder = http.newWebSocketBuilder();
        if (auth != null) {
          builder.header("Authorization", auth);
        }
        var refused =
            builder.buildAsync(
                java.net.URI.create("ws://" + api.baseUri().getAuthority() + "/v1/stream"),
                new java.net.http.WebSocket.Listener() {});
        assertThat(refused)
            .failsWithin(Duration.ofSeconds(10))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .havingCause()
            .isInstanceOfSatisfying(
                java.net.http.WebSocketHandshakeException.class,
                e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
      }
    } finally {
      http.shutdownNow();
    }
    Agent reader = api.newAgent("reader");
    Response noSse = api.as(reader).get("/v1/stream");
    assertThat(noSse.status()).as("%s", noSse).isEqualTo(400);
    assertThat(noSse.body()).contains("Accept");
    Response anonymous = api.anonymous().get("/v1/stream");
    assertThat(anonymous.status()).as("%s", anonymous).isEqualTo(401);
    Response badResume = api.as(reader).get("/v1/stream?last_event_id=nope");
    assertThat(badResume.status()).as("%s", badResume).isEqualTo(400);
    assertThat(badResume.body()).contains("last_event_id");
    Response unknown = api.as(reader).get("/v1/stream?colour=blue");
    assertThat(unknown.status()).as("%s", unknown).isEqualTo(400);
    assertThat(unknown.body()).contains("colour");
  }

  @Test
  void aNewerStreamOfTheSameAgentSupersedesTheOlderOne() {
    Agent reader = api.newAgent("reader");
    var older = connect(api, reader, "");
    try (var newer = connect(api, reader, "")) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> older.closeCode() != null);
      assertThat(older.closeCode()).isEqualTo(4000);
    } finally {
      older.close();
    }
  }
}
