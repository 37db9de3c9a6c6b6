package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.Draft;
import dev.mailroom.protocol.AgentCreated;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The MCP contract over streamable HTTP at {@code /mcp}, with the agent's bearer token; and what
 * only this transport does: it refuses file paths, since its tools run inside the server.
 */
class HttpMcpIT extends McpContract {

  @Override
  protected McpSyncClient connect(
      AgentCreated agent, Consumer<List<McpSchema.ResourceContents>> updates) {
    McpSyncClient client =
        McpClient.sync(transport(server.baseUri(), agent.token()))
            .requestTimeout(Duration.ofSeconds(90))
            .resourcesUpdateConsumer(updates)
            .build();
    client.initialize();
    return client;
  }

  static HttpClientStreamableHttpTransport transport(URI server, String token) {
    return HttpClientStreamableHttpTransport.builder(server.toString())
        .endpoint(MailroomMcp.PATH)
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
        .build();
  }

  @Test
  void anAttachmentByPathIsRefusedAndTheServersFileNeverRead() throws IOException {
    Path secret = Files.writeString(files.resolve("secret.txt"), "the server's own file");
    String me = mcpAgent().id();

    for (String path : List.of(secret.toString(), "secret.txt", "/etc/hostname")) {
      assertThat(
              refused(
                  "send_message",
                  Map.of("to", me, "payload", "x", "attachments", List.of(Map.of("path", path)))))
          .contains("attachments[0]", "'path'", "is refused", "over HTTP", "blob_id")
          .doesNotContain("the server's own file");
    }
    assertThat(ok("read_messages", Map.of()).path("messages")).isEmpty();
  }

  @Test
  void saveToIsRefusedBeforeAnythingIsFetchedAndExcerptsPointToTheDownloadUrl() throws IOException {
    Path target = files.resolve("saved.txt");
    Path log = Files.writeString(files.resolve("run.log"), "x".repeat(10_000));
    String id =
        alice()
            .messages()
            .send(
                Draft.direct(mcpAgent().id())
                    .text("log")
                    .attach(alice().uploads().upload(log, text())))
            .id();

    assertThat(refused("get_attachment", Map.of("message_id", id, "save_to", target.toString())))
        .contains(
            "'save_to'", "is refused", "over HTTP", "GET /v1/messages/" + id + "/attachments/0");
    assertThat(
            refused(
                "get_attachment",
                Map.of("message_id", "0000000000000", "n", 3, "save_to", "out.bin")))
        .contains("'save_to'", "is refused", "/v1/messages/0000000000000/attachments/3");
    assertThat(target).doesNotExist();

    JsonNode start = ok("get_attachment", Map.of("message_id", id));
    assertThat(notes(start))
        .contains("GET /v1/messages/" + id + "/attachments/0")
        .doesNotContain("save_to=");
  }

  @Test
  void theInstructionsSayAttachmentsGoByBlobIdHere() {
    assertThat(mcp().getCurrentInitializationResult().instructions())
        .contains(McpServers.FILES_REFUSED)
        .doesNotContain("by path");
  }
}
