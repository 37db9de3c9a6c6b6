package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.server.HttpLimits;
import dev.mailroom.server.ServletEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The read deadlines ({@code mailroom.http.header-timeout}, {@code body-timeout}; here 1 s each): a
 * client trickling its headers or its body gets 408 problem+json and is cut off; the time between
 * requests on a kept-alive connection is not counted; streams outlive the deadlines.
 */
class ReadDeadlinesIT {
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final Duration TRICKLE = Duration.ofMillis(100);

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.http(HttpLimits.DEFAULTS.withTimeouts(DEADLINE, DEADLINE))
                  .delivery(
                      new DeliverySettings(
                          Duration.ofSeconds(30),
                          2,
                          Duration.ofSeconds(60),
                          0,
                          3,
                          Duration.ofMillis(200),
                          1000,
                          Duration.ofSeconds(30)))
                  .endpoint(server -> new Echo()));

  /** A servlet other than Javalin's, as /mcp is: it reads the whole body and echoes its size. */
  private static final class Echo implements ServletEndpoint {
    @Override
    public String path() {
      return "/echo";
    }

    @Override
    public HttpServlet servlet() {
      return new HttpServlet() {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
          int n = req.getInputStream().readAllBytes().length;
          res.setContentType("text/plain");
          res.getWriter().print(n);
        }
      };
    }

    @Override
    public void close() {}
  }

  /** A raw connection to the server: writes what the test says, when it says. */
  private static final class Raw implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByServer;

    Raw() throws IOException {
      socket = new Socket(api.baseUri().getHost(), api.baseUri().getPort());
      socket.setSoTimeout(50);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    void send(String text) {
      try {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        closedByServer = true; // the server cut the connection: what the test waits for
      }
    }

    /** Reads what has arrived; true once the server has closed the connection. */
    boolean poll() {
      byte[] buf = new byte[8192];
      try {
        int n = in.read(buf);
        if (n < 0) {
          closedByServer = true;
        } else {
          received.write(buf, 0, n);
        }
      } catch (SocketTimeoutException e) {
        // nothing yet
      } catch (IOException e) {
        closedByServer = true;
      }
      return closedByServer;
    }

    String received() {
      return received.toString(StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code text} a byte at a time, {@link #TRICKLE} apart, until the server closes the
     * connection (or all of it is sent, and then waits for the server to close it).
     */
    void trickle(String text) {
      for (int i = 0; i < text.length() && !poll(); i++) {
        send(text.substring(i, i + 1));
        sleepAWhile();
      }
      await().atMost(Duration.ofSeconds(10)).until(this::poll);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Paces the trickle; no test asserts on how long anything took. */
  private static void sleepAWhile() {
    await().pollDelay(TRICKLE).atMost(TRICKLE.multipliedBy(50)).until(() -> true);
  }

  private static String filler(int n) {
    return "x".repeat(n);
  }

  /** The status line and the problem of a raw answer. */
  private static JsonNode assertTimedOut(String answer) {
    assertThat(answer).startsWith("HTTP/1.1 408 ");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
    JsonNode problem = Json.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    assertThat(problem.path("status").asInt()).isEqualTo(408);
    assertThat(Json.text(problem, "type")).isEqualTo("/problems/request-timeout");
    assertThat(Json.text(problem, "request_id")).isNotBlank();
    return problem;
  }

  @Test
  void headersTrickledPastTheDeadlineGet408AndTheConnectionIsClosed() throws IOException {
    try (Raw raw = new Raw()) {
      raw.trickle(
          "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Slow: "
              + filler(200)
              + "\r\nAuthorization: Bearer "
              + MailroomApi.ADMIN_TOKEN
              + "\r\n\r\n");

      JsonNode problem = assertTimedOut(raw.received());
      assertThat(Json.text(problem, "detail")).contains("headers");
    }
  }

  @Test
  void aBodyTrickledPastTheDeadlineGets408() throws IOException {
    Agent agent = api.newAgent("slow");
    String body = "{\"pattern\":\"slow." + filler(200) + "\"}";
    try (Raw raw = new Raw()) {
      raw.send(
          "POST /v1/subscriptions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Authorization: Bearer "
              + agent.token()
              + "\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n");
      raw.trickle(body);

      JsonNode problem = assertTimedOut(raw.received());
      assertThat(Json.text(problem, "detail")).contains("body");
    }
    assertThat(Json.array(api.as(agent).get("/v1/subscriptions").json(), "subscriptions"))
        .as("the cut request changed nothing")
        .isEmpty();
  }

  @Test
  void aBodyTrickledToAnotherServletPastTheDeadlineGets408Too() throws IOException {
    Agent agent = api.newAgent("slow-echo");
    String body = filler(300);
    try (Raw raw = new Raw()) {
      raw.send(
          "POST /echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + agent.token()
              + "\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n");
      raw.trickle(body);

      assertTimedOut(raw.received());
    }
  }

  @Test
  void theTimeBetweenRequestsOnAKeptAliveConnectionIsNotCounted() throws IOException {
    String request =
        "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + MailroomApi.ADMIN_TOKEN
            + "\r\n\r\n";
    try (Raw raw = new Raw()) {
      raw.send(request);
      await().atMost(Duration.ofSeconds(10)).until(() -> received(raw).contains("\"admin\""));
      // Idle for longer than the header deadline (the connection's idle timeout is 30 s).
      long idleUntil = System.nanoTime() + DEADLINE.multipliedBy(2).toNanos();
      await().atMost(Duration.ofSeconds(10)).until(() -> System.nanoTime() > idleUntil);
      raw.send(request);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> received(raw).split("HTTP/1.1 200 ", -1).length == 3);
      assertThat(raw.poll()).as("the connection is still open").isFalse();
    }
  }

  @Test
  void streamsOutliveTheDeadlines() {
    Agent overWs = api.newAgent("ws-streamer");
    Agent overSse = api.newAgent("sse-streamer"); // one agent's newer stream would end its older
    try (var ws = StreamClient.webSocket(api.baseUri(), overWs.token(), "");
        var sse = StreamClient.sse(api.as(overSse), api.baseUri(), overSse.token(), "", null)) {
      AtomicLong wsBeats = new AtomicLong();
      AtomicLong sseBeats = new AtomicLong();
      // Heartbeats every 200 ms: fifteen of each take three times the deadlines.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(List.of(count(ws, wsBeats), count(sse, sseBeats)))
                      .allMatch(n -> n >= 15));
    }
  }

  /** Everything the server has sent so far. */
  private static String received(Raw raw) {
    raw.poll();
    return raw.received();
  }

  private static long count(StreamClient client, AtomicLong beats) {
    StreamClient.Event e;
    while ((e = client.events.poll()) != null) {
      if (e.type().equals("heartbeat")) {
        beats.incrementAndGet();
      }
    }
    return beats.get();
  }
}
