package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StdioOutputTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StdioOutput output = new StdioOutput(out, McpJsonDefaults.getMapper());

  @Test
  void aRefusalAnsweredWhileTheSdkIsHalfwayThroughAMessageComesBeforeItNotInsideIt()
      throws IOException {
    OutputStream sdk = output.sdkStream();

    // the SDK writes a message, then its line break, as two writes
    sdk.write(utf8("{\"jsonrpc\":\"2.0\",\"id\":1,"));
    output.refuse(refused(Optional.empty()));
    sdk.write(utf8("\"result\":{}}"));
    sdk.write(utf8("\n"));
    sdk.flush();
    output.refuse(refused(Optional.of(7L)));

    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"line: is"
                + " wrong\"}}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32600,\"message\":\"line: is"
                + " wrong\"}}");
  }

  @Test
  void severalMessagesInOneWriteGoOutLineByLine() throws IOException {
    OutputStream sdk = output.sdkStream();

    sdk.write(utf8("{\"a\":1}\n{\"b\":2}\n{\"c\""));
    sdk.write(':');
    sdk.write(utf8("3}\n"));

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
  }

  private static JsonRpcChecks.Refused refused(Optional<Object> id) {
    return new JsonRpcChecks.Refused(
        400, McpSchema.ErrorCodes.INVALID_REQUEST, id, "line", "is wrong");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
