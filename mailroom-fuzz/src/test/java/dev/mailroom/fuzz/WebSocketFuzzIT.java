package dev.mailroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzzes {@code /v1/stream} over WebSocket. Most iterations send one frame on an open stream of a
 * plain agent ({@link WsFrames#pick}: acks, invalid acks, sends and invalid sends, other JSON,
 * garbage, deep nesting, huge numbers, oversized and binary frames) and then a ping: by the pong, a
 * frame the server must refuse has been answered with an {@code error} event and one it must take
 * has not, and the stream is still open; no event, close reason or code (1011) shows an internal
 * failure. The others try an upgrade over a raw socket: refused ones (no or a wrong token, a bad
 * version or key, invalid parameters) must be problem answers like any other; accepted ones get
 * broken frames ({@link WsFrames#raw}) and must close cleanly. No upgrade sets a cookie. Refused
 * frames name ids of pending deliveries (decoys): none of them may ever be acknowledged. The count
 * is {@code fuzz.ws.frames} (see {@link FuzzSettings}).
 */
class WebSocketFuzzIT {
  /** Deliveries are pushed again only after a minute: decoys stay pending for the whole run. */
  static final DeliverySettings SLOW_RETRY =
      DeliverySettings.DEFAULTS.withRetry(Duration.ofSeconds(60), 2.0, 0.2);

  private static final Duration PONG_WAIT = Duration.ofSeconds(10);

  @RegisterExtension static final FuzzServer server = new FuzzServer(SLOW_RETRY);

  private static FuzzReport report;
  private static List<String> decoys;
  private static Judge.Outcome outcome;
  private static StreamClient socket;

  @BeforeAll
  static void fuzz() throws Exception {
    FuzzSettings settings = FuzzSettings.current();
    Fixtures f = Fixtures.seed(server);
    String alice = Fixtures.token(f.alice);
    decoys = new ArrayList<>();
    List<String> ackable = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      Map<String, String> direct = Map.of("mode", "direct", "target", "fuzz-bob");
      (i < 20 ? decoys : ackable).add(f.send(alice, direct));
    }
    report = new FuzzReport("WebSocketFuzzIT", settings);
    Judge judge = new Judge(server, server.http(), report);
    socket = StreamClient.open(server.baseUri(), Fixtures.token(f.bob));
    for (int i = 0; i < settings.wsFrames(); i++) {
      RandomGenerator r = new Random(settings.seedOf(i));
      if (r.nextInt(10) < 3) {
        upgrade(i, f, r);
      } else {
        frame(i, WsFrames.pick(r, ackable, decoys), Fixtures.token(f.bob));
      }
    }
    socket.close();
    outcome = judge.finish();
  }

  private static void frame(int iteration, WsFrames.Frame frame, String token) throws Exception {
    String route = "frame: " + frame.description();
    socket.drained();
    String ping = "ping-" + iteration;
    try {
      (frame.binary() != null
              ? socket.socket().sendBinary(ByteBuffer.wrap(frame.binary()), true)
              : socket.socket().sendText(frame.text(), true))
          .get(PONG_WAIT.toSeconds(), TimeUnit.SECONDS);
      socket
          .socket()
          .sendPing(ByteBuffer.wrap(ping.getBytes(StandardCharsets.UTF_8)))
          .get(PONG_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the socket closed or broke: the close is judged below
    }
    String outcome = socket.awaitPongOrClose(ping, PONG_WAIT);
    List<Invariants.Violation> wrong = new ArrayList<>();
    boolean refused = false;
    for (String event : socket.drained()) {
      Invariants.leak("an event", event).ifPresent(wrong::add);
      refused |= event.contains("\"type\":\"error\"");
    }
    if (outcome.startsWith("closed")) {
      String code = outcome.split(" ")[1];
      // 1006 after an oversized frame is the client's write failing once the server closed
      if (frame.expect() != WsFrames.Expect.EITHER || code.equals("1011")) {
        wrong.add(new Invariants.Violation("the stream closed with " + code, outcome));
      }
      Invariants.leak("a close reason", outcome).ifPresent(wrong::add);
      socket.close();
      socket = StreamClient.open(server.baseUri(), token);
    } else if (!outcome.equals("pong")) {
      wrong.add(new Invariants.Violation("no pong", outcome));
    } else if (frame.expect() == WsFrames.Expect.REFUSED && !refused) {
      wrong.add(new Invariants.Violation("a frame not understood got no error event", outcome));
    } else if (frame.expect() == WsFrames.Expect.ACCEPTED && refused) {
      wrong.add(new Invariants.Violation("a valid ack was refused", outcome));
    }
    report.answered(route, outcome.startsWith("closed") ? 1000 : refused ? 400 : 200);
    for (Invariants.Violation w : wrong) {
      String details = "frame: " + frame + "\noutcome: " + outcome + "\nwrong: " + w;
      report.failed(
          route + " -> " + w.kind(),
          iteration,
          frame.text().getBytes(StandardCharsets.UTF_8),
          details);
    }
  }

  private static void upgrade(int iteration, Fixtures f, RandomGenerator r) {
    Draft d = new Draft("GET", "/v1/stream");
    d.setHeader("Upgrade", "websocket");
    d.setHeader("Connection", "Upgrade");
    d.setHeader("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(new byte[16]));
    d.setHeader("Sec-WebSocket-Version", "13");
    Caller caller = JsonMutations.pick(List.of(f.alice, f.anonymous, f.forged), r);
    caller.token().ifPresent(t -> d.setHeader("Authorization", "Bearer " + t));
    d.caller = caller.name();
    List.of(
            "last_event_id",
            "Last-Event-ID",
            "auto_ack",
            "Sec-WebSocket-Key",
            "Sec-WebSocket-Version",
            "Upgrade",
            "Connection")
        .forEach(d.names::add);
    d.mutations.add(
        switch (r.nextInt(9)) {
          case 0 -> "as it is";
          case 1 ->
              set(
                  d,
                  "Sec-WebSocket-Version",
                  JsonMutations.pick(List.of("8", "99", "", "13, 8"), r));
          case 2 ->
              set(
                  d,
                  "Sec-WebSocket-Key",
                  JsonMutations.pick(List.of("", "abc", "\u00e9", "x".repeat(500)), r));
          case 3 -> {
            d.removeHeader("Connection");
            yield "no Connection: Upgrade";
          }
          case 4 -> {
            d.query.add(
                JsonMutations.pick(
                    List.of(
                        "last_event_id=garbage",
                        "auto_ack=maybe",
                        "unknown=1",
                        "last_event_id=%C0%AE",
                        "last_event_id=" + "9".repeat(400)),
                    r));
            yield "query " + d.query;
          }
          case 5 ->
              set(
                  d,
                  "Last-Event-ID",
                  JsonMutations.pick(List.of("garbage", "", "\u0001", decoys.getFirst() + "x"), r));
          case 6 -> {
            d.method = JsonMutations.pick(List.of("POST", "PUT", "DELETE"), r);
            yield "method " + d.method;
          }
          case 7 ->
              set(
                  d,
                  "Sec-WebSocket-Extensions",
                  JsonMutations.pick(
                      List.of("permessage-deflate; client_max_window_bits=99", "x-unknown", ";;;"),
                      r));
          default ->
              RequestMutator.once(d, new Caller[] {f.alice, f.admin, f.anonymous, f.forged}, r);
        });
    List<String> described = new ArrayList<>();
    byte[] frames = WsFrames.raw(r, JsonMutations.pick(decoys, r), described);
    RawHttp.Request request = server.http().complete(d.request());
    long changes = server.counter().requestChanges();
    long sequence = server.counter().sequence();
    RawHttp.Response answer = server.http().upgrade(request, frames, Duration.ofMillis(1500));
    boolean changed = server.counter().requestChanges() != changes;
    String route = FuzzReport.route(d.method, "/v1/stream (upgrade)");
    report.answered(route, answer.status());
    List<Invariants.Violation> wrong =
        Judge.judge(server, request, answer, d.names, changed, sequence);
    if (answer.status() == 101) {
      for (WsFrames.ServerFrame sf : WsFrames.decode(answer.body())) {
        Invariants.leak("a server frame", sf.text()).ifPresent(wrong::add);
        if (sf.closeCode() == 1011) {
          wrong.add(new Invariants.Violation("closed with 1011 (server error)", sf.text()));
        }
      }
    }
    for (Invariants.Violation v : wrong) {
      String details =
          "upgrade: "
              + d
              + ", then "
              + described
              + "\n"
              + request
              + "\n\nanswer:\n"
              + answer
              + "\n\nwrong: "
              + v;
      report.failed(
          route + " -> " + answer.status() + ": " + v.kind(), iteration, request.bytes(), details);
    }
  }

  private static String set(Draft d, String header, String value) {
    d.setHeader(header, value);
    return header + ": " + value;
  }

  @Test
  void everyFrameAndUpgradeKeepsTheStreamsPromises() {
    assertThat(report.clean()).as(report.summary()).isTrue();
  }

  @Test
  void noRefusedFrameAcknowledgedAnything() {
    List<StoreWriteCounter.Change> decoyAcks =
        server.counter().since(0).stream()
            .filter(c -> c.call().startsWith("DeliveryStore.acknowledge"))
            .filter(c -> decoys.stream().anyMatch(c.call()::contains))
            .toList();
    assertThat(decoyAcks).as("acknowledgements of ids only refused frames named").isEmpty();
  }

  @Test
  void theServerStaysHealthyAndItsHeapBounded() {
    outcome.assertHealthyWithBoundedHeap();
  }
}
