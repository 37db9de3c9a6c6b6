package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import dev.mailroom.protocol.Json;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class StdioInputTest {
  private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
  private static final String LIST =
      "{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"method\":\"tools/list\",\"params\":{}}";
  private static final String NOTIFIED =
      "{ \"jsonrpc\" : \"2.0\", \"method\" : \"notifications/initialized\" }";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<McpSchema.JSONRPCMessage> observed = new ArrayList<>();
  private final AtomicInteger ended = new AtomicInteger();
  private Optional<String> answer = Optional.empty();

  @Test
  void passesAcceptedLinesOnUnchangedAndInOrderAndAnswersTheOthers() throws IOException {
    String sdkReads =
        read(
            String.join(
                "\n",
                "null",
                PING,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"whoami\",\"arguments\":\"x\"}}",
                "",
                "\t ",
                LIST,
                "x".repeat(200),
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}",
                NOTIFIED),
            100);

    assertThat(sdkReads).isEqualTo(PING + "\n" + LIST + "\n" + NOTIFIED + "\n");
    assertThat(observed)
        .extracting(m -> m.getClass().getSimpleName())
        .containsExactly("JSONRPCRequest", "JSONRPCRequest", "JSONRPCNotification");
    assertThat(errors())
        .containsExactly(
            "null -32600 line: must be a JSON-RPC message object",
            "3 -32602 params: do not have the form tools/call takes: an object with name",
            "null -32600 line: is longer than 100 bytes",
            "null -32600 method: is required: Mailroom's MCP server sends clients no requests, so"
                + " it expects no responses");
    assertThat(ended.get()).isEqualTo(1);
  }

  @Test
  void aLineTheObserverAnswersIsAnsweredAndNotPassedOn() throws IOException {
    answer = Optional.of("{\"jsonrpc\":\"2.0\",\"id\":\"two\",\"result\":{}}");

    String sdkReads = read(String.join("\n", PING, LIST, NOTIFIED), 1000);

    assertThat(sdkReads).isEqualTo(PING + "\n" + NOTIFIED + "\n");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(answer.get() + "\n");
  }

  @Test
  void aLastLineWithoutALineBreakStillReachesTheSdk() throws IOException {
    assertThat(read(PING, 100)).isEqualTo(PING + "\n");
    assertThat(errors()).isEmpty();
  }

  @Test
  void aFailureToAnswerEndsTheInputSoTheServerStops() {
    var broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("closed");
          }
        };
    InputStream in = input("hello\n" + PING + "\n", 100, new StdioOutput(broken, mapper()));

    assertThatIOException().isThrownBy(in::read);
    assertThat(ended.get()).isEqualTo(1);
  }

  private String read(String lines, int max) throws IOException {
    try (InputStream in = input(lines, max, new StdioOutput(out, mapper()))) {
      byte[] first = new byte[3];
      int n = in.read(first);
      int single = in.read();
      byte[] rest = in.readAllBytes();
      assertThat(in.read()).isEqualTo(-1);
      return new String(first, 0, n, StandardCharsets.UTF_8)
          + (char) single
          + new String(rest, StandardCharsets.UTF_8);
    }
  }

  private InputStream input(String lines, int max, StdioOutput output) {
    return new StdioInput(
        new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
        max,
        mapper(),
        output,
        m -> {
          observed.add(m);
          return m instanceof McpSchema.JSONRPCRequest r && r.method().equals("tools/list")
              ? answer
              : Optional.empty();
        },
        ended::incrementAndGet);
  }

  /** Each line written, as {@code id code message}. */
  private List<String> errors() {
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .map(Json.mapper()::readTree)
        .map(
            (JsonNode e) ->
                e.get("id")
                    + " "
                    + e.path("error").path("code").asInt()
                    + " "
                    + e.path("error").path("message").asString())
        .toList();
  }

  private static McpJsonMapper mapper() {
    return McpJsonDefaults.getMapper();
  }
}
