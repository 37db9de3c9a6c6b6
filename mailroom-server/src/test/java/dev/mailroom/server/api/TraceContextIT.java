package dev.mailroom.server.api;

import static dev.mailroom.server.api.Streams.connect;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A request's W3C {@code traceparent} reaches the deliveries of the messages it sends, and a
 * request's log lines carry its id and trace id.
 */
class TraceContextIT {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @RegisterExtension static final MailroomApi api = new MailroomApi();

  @Test
  void aSendsTraceparentIsInTheMetadataOfTheDeliveryPushed() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    try (var ws = connect(api, bob, "")) {
      Response sent =
          api.as(alice)
              .request(
                  "POST",
                  "/v1/messages",
                  Json.write(SendAndReadIT.plain(bob.id(), "traced")),
                  "Content-Type",
                  "application/json",
                  "traceparent",
                  TRACEPARENT);
      assertThat(sent.status()).as("%s", sent).isEqualTo(201);

      JsonNode pushed = ws.nextMessage().json();
      assertThat(pushed.at("/message/metadata/traceparent").asString())
          .as("%s", pushed)
          .isEqualTo(TRACEPARENT);
    }
  }

  @Test
  void theSendersOwnTraceparentInMetadataWinsAndAnInvalidHeaderIsIgnored() {
    Agent alice = api.newAgent("carol");
    String own = "00-11111111111111111111111111111111-2222222222222222-00";
    Map<String, Object> body = SendAndReadIT.plain(alice.id(), "mine");
    body.put("metadata", Map.of("traceparent", own));
    Response mine =
        api.as(alice)
            .request(
                "POST",
                "/v1/messages",
                Json.write(body),
                "Content-Type",
                "application/json",
                "traceparent",
                TRACEPARENT);
    Response invalid =
        api.as(alice)
            .request(
                "POST",
                "/v1/messages",
                Json.write(SendAndReadIT.plain(alice.id(), "untraced")),
                "Content-Type",
                "application/json",
                "traceparent",
                "00-not-a-trace-01");

    assertThat(invalid.status()).as("%s", invalid).isEqualTo(201);
    JsonNode first = api.as(alice).get("/v1/messages/" + Json.text(mine.json(), "id")).json();
    JsonNode second = api.as(alice).get("/v1/messages/" + Json.text(invalid.json(), "id")).json();
    assertThat(first.at("/metadata/traceparent").asString()).isEqualTo(own);
    assertThat(second.path("metadata").has("traceparent")).isFalse();
  }

  @Test
  void aRequestsLogLinesCarryItsIdAndTraceId() {
    String logger = "dev.mailroom.server.LogLevelRoutes";
    ch.qos.logback.classic.Logger routes =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger);
    Level before = routes.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    routes.addAppender(captured);
    routes.setLevel(Level.INFO);
    try {
      Response set =
          api.admin()
              .request(
                  "PUT",
                  "/v1/admin/log-levels/dev.mailroom.test.trace",
                  "{\"level\":\"INFO\"}",
                  "Content-Type",
                  "application/json",
                  "X-Request-Id",
                  "req-trace-1",
                  "traceparent",
                  TRACEPARENT);
      assertThat(set.status()).as("%s", set).isEqualTo(200);

      List<ILoggingEvent> lines = List.copyOf(captured.list);
      assertThat(lines).hasSize(1);
      assertThat(lines.getFirst().getMDCPropertyMap())
          .containsEntry("request_id", "req-trace-1")
          .containsEntry("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    } finally {
      routes.detachAppender(captured);
      routes.setLevel(before);
    }
  }
}
