package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A file far larger than the server's heap goes from one agent to another through the stdio MCP
 * server: the sender's {@code mailroom mcp} uploads it by path, the recipient's saves it with
 * get_attachment's save_to, and neither the bytes nor the model's context ever hold it. The server
 * runs as its own JVM with a 128 MiB heap, so holding the file in memory anywhere on its side would
 * kill it.
 */
class McpLargeAttachmentIT {
  private static final String ADMIN_TOKEN = "mr_test_admin_mcp_large_0123456789abcdef";
  private static final long SIZE = 200L * 1024 * 1024;
  private static final Duration CALL = Duration.ofSeconds(60);

  @TempDir Path dataDir;
  @TempDir Path logs;
  @TempDir Path work;

  @Test
  void aFileOf200MibGoesThroughMcpByPathAndArrivesWholeWhileTheServerStaysUp() throws Exception {
    Path original = work.resolve("dataset.bin");
    String sha256 = writeRandom(original, SIZE);
    Path copy = work.resolve("received/dataset-copy.bin");
    Files.createDirectories(copy.getParent());

    try (ServerProcess server =
        ServerProcess.start(dataDir, ADMIN_TOKEN, logs.resolve("server.log"), "128m")) {
      AgentCreated alice;
      AgentCreated bob;
      try (MailroomClient admin =
          MailroomClient.builder().baseUri(server.baseUri()).token(ADMIN_TOKEN).build()) {
        alice = admin.agents().create("alice");
        bob = admin.agents().create("bob");
      }

      // Each mailroom mcp takes seconds to start: the recipient's starts while the file goes up.
      CompletableFuture<McpSyncClient> recipientStarted =
          CompletableFuture.supplyAsync(() -> connect(server, bob));
      McpSyncClient sender = connect(server, alice);
      try {
        JsonNode sent =
            ok(
                sender,
                "send_message",
                Map.of(
                    "to",
                    bob.id(),
                    "payload",
                    "the dataset",
                    "attachments",
                    List.of(Map.of("path", original.toString()))));
        String id = sent.path("id").asString();

        McpSyncClient recipient = recipientStarted.get(1, TimeUnit.MINUTES);
        JsonNode read = ok(recipient, "read_messages", Map.of("ids", List.of(id)));
        JsonNode listed = read.path("messages").get(0).path("attachments").get(0);
        assertThat(listed.path("name").asString()).isEqualTo("dataset.bin");
        assertThat(listed.path("size").asLong()).isEqualTo(SIZE);

        JsonNode saved =
            ok(recipient, "get_attachment", Map.of("message_id", id, "save_to", copy.toString()));
        assertThat(saved.path("saved_to").asString()).isEqualTo(copy.toString());
        assertThat(saved.path("size").asLong()).isEqualTo(SIZE);
        assertThat(saved.path("sha256").asString()).isEqualTo(sha256);
      } finally {
        sender.closeGracefully();
        recipientStarted
            .thenAccept(McpSyncClient::closeGracefully)
            .exceptionally(e -> null)
            .get(1, TimeUnit.MINUTES);
      }

      assertThat(Files.size(copy)).isEqualTo(SIZE);
      assertThat(sha256(copy)).isEqualTo(sha256);
      assertThat(new Http(server.baseUri(), null).get("/health").status())
          .as("the server is still up")
          .isEqualTo(200);
      assertThat(server.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /** {@code mailroom mcp} as the agent, in a JVM of its own, as StdioMcpIT starts it. */
  private static McpSyncClient connect(ServerProcess server, AgentCreated agent) {
    ServerParameters command =
        ServerParameters.builder(ProcessHandle.current().info().command().orElse("java"))
            .args(
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mailroom.cli.Main",
                "mcp")
            .addEnvVar(ConnectionOptions.URL_VARIABLE, server.baseUri().toString())
            .addEnvVar(ConnectionOptions.TOKEN_VARIABLE, agent.token())
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(command, McpJsonDefaults.getMapper()))
            .requestTimeout(CALL)
            .initializationTimeout(CALL)
            .build();
    client.initialize();
    return client;
  }

  private static JsonNode ok(McpSyncClient mcp, String tool, Map<String, ?> args) {
    McpSchema.CallToolResult r =
        mcp.callTool(new McpSchema.CallToolRequest(tool, new HashMap<>(args)));
    String text = ((McpSchema.TextContent) r.content().get(0)).text();
    assertThat(r.isError()).as("%s: %s", tool, text).isFalse();
    return Json.mapper().readTree(text);
  }

  /** Writes {@code size} random bytes, 1 MiB at a time, and answers their SHA-256. */
  private static String writeRandom(Path file, long size)
      throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    SplittableRandom random = new SplittableRandom(16);
    ByteBuffer chunk = ByteBuffer.allocate(1024 * 1024);
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < size; written += chunk.capacity()) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          chunk.putLong(random.nextLong());
        }
        digest.update(chunk.array());
        chunk.flip();
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1024 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
