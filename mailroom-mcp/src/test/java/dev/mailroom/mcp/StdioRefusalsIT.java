package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What the stdio transport answers to lines it cannot serve: one JSON-RPC error line each, to the
 * request's id when it was read, and it goes on serving the lines after. (The SDK alone stopped
 * reading for good at the first such line, leaving every later request unanswered.)
 */
class StdioRefusalsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_REQUEST = -32600;
  private static final int INVALID_PARAMS = -32602;

  /** A malformed line and the error it is answered with ({@code id} empty: a null id). */
  private record Bad(byte[] line, Optional<Integer> id, int code, String field) {
    static Bad of(String line, int code, String field) {
      return new Bad(utf8(line), Optional.empty(), code, field);
    }

    static Bad toId(String line, int id, int code, String field) {
      return new Bad(utf8(line), Optional.of(id), code, field);
    }
  }

  private static final List<Bad> BAD =
      List.of(
          Bad.of("hello", PARSE_ERROR, "line"),
          Bad.of("[]", INVALID_REQUEST, "line"),
          Bad.of("[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]", INVALID_REQUEST, "line"),
          Bad.of(
              "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}", INVALID_REQUEST, "id"),
          Bad.toId(
              "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\","
                  + "\"params\":{\"name\":\"whoami\",\"arguments\":\"x\"}}",
              4,
              INVALID_PARAMS,
              "params"),
          Bad.toId(
              "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{}}",
              5,
              INVALID_PARAMS,
              "params.uri"),
          Bad.of("{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":{}}", INVALID_REQUEST, "method"),
          Bad.of(
              "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\",\"method\":\"tools/list\"}",
              PARSE_ERROR,
              "line"),
          Bad.of(
              "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\",\"params\":\"x\"}",
              INVALID_PARAMS,
              "params"),
          new Bad(invalidUtf8(), Optional.empty(), PARSE_ERROR, "line"),
          Bad.of(
              "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\",\"params\":{\"x\":\""
                  + "a".repeat(JsonRpcChecks.MAX_MESSAGE_BYTES)
                  + "\"}}",
              INVALID_REQUEST,
              "line"));

  @Test
  void eachMalformedLineIsAnsweredWithOneErrorAndTheRequestsAfterItAreServed() throws Exception {
    AgentCreated bob = server.newAgent("bob");
    List<JsonNode> answers;
    try (StdioSession mcp = new StdioSession(server.client(bob))) {
      mcp.send("null");
      mcp.send(RawMcp.INITIALIZE);
      await().atMost(Duration.ofMinutes(1)).until(() -> answerTo(mcp.answers(), 1).isPresent());
      mcp.send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      for (int i = 0; i < BAD.size(); i++) {
        mcp.send(BAD.get(i).line());
        mcp.send("\n");
        mcp.send(ping(100 + i));
      }
      mcp.send(utf8("   \r\n" + ping(200) + "\r\n"));
      mcp.send(
          "{\"jsonrpc\":\"2.0\",\"id\":201,\"method\":\"tools/call\","
              + "\"params\":{\"name\":\"whoami\",\"arguments\":{}}}");
      int expected = 2 + 2 * BAD.size() + 2;
      await().atMost(Duration.ofMinutes(1)).until(() -> mcp.answers().size() >= expected);
      answers = mcp.answers();
      assertThat(answers).hasSize(expected);
    }

    for (JsonNode a : answers) {
      assertThat(a.path("jsonrpc").asString()).as(a.toString()).isEqualTo("2.0");
      assertThat(a.toString()).doesNotContain("Exception", "java.", "io.modelcontextprotocol");
    }
    List<Bad> toNullId = new ArrayList<>();
    toNullId.add(Bad.of("null", INVALID_REQUEST, "line"));
    toNullId.addAll(BAD.stream().filter(b -> b.id().isEmpty()).toList());
    List<JsonNode> nullIdErrors =
        answers.stream().filter(a -> a.has("id") && a.get("id").isNull()).toList();
    assertThat(nullIdErrors).hasSameSizeAs(toNullId);
    for (int i = 0; i < toNullId.size(); i++) {
      assertError(nullIdErrors.get(i), toNullId.get(i));
    }
    for (Bad b : BAD) {
      b.id().ifPresent(id -> assertError(answerTo(answers, id).orElseThrow(), b));
    }
    for (int id = 100; id < 100 + BAD.size(); id++) {
      assertThat(answerTo(answers, id)).as("ping " + id).get().matches(a -> a.has("result"));
    }
    assertThat(answerTo(answers, 200)).get().matches(a -> a.has("result"));
    assertThat(answerTo(answers, 201).orElseThrow().path("result").toString())
        .contains(bob.id())
        .doesNotContain("\"isError\":true");
  }

  private static void assertError(JsonNode answer, Bad expected) {
    assertThat(answer.path("error").path("code").asInt())
        .as(answer.toString())
        .isEqualTo(expected.code());
    assertThat(answer.path("error").path("message").asString())
        .as(answer.toString())
        .startsWith(expected.field() + ": ");
  }

  private static Optional<JsonNode> answerTo(List<JsonNode> answers, int id) {
    return answers.stream()
        .filter(a -> a.path("id").isNumber() && a.path("id").asInt() == id)
        .findFirst();
  }

  private static String ping(int id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}";
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A ping whose params hold bytes that are not UTF-8 (an overlong encoding of a dot). */
  private static byte[] invalidUtf8() {
    var b = new ByteArrayOutputStream();
    b.writeBytes(utf8("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{\"x\":\""));
    b.write(0xC0);
    b.write(0xAE);
    b.writeBytes(utf8("\"}}"));
    return b.toByteArray();
  }
}
