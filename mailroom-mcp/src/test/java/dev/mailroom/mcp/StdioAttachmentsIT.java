package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessageView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What only the stdio transport does with attachments: it runs on the agent's machine, so the tools
 * upload files by path and save attachments to paths, relative ones against the working directory
 * of the process (here, this JVM's).
 */
class StdioAttachmentsIT {
  @RegisterExtension
  static final TestServer server = new TestServer(b -> b.endpoint(MailroomMcp.endpoint()));

  @TempDir Path dir;

  private MailroomClient alice;
  private String aliceId;
  private AgentCreated bob;
  private StdioTools mcp;

  @BeforeEach
  void connect() {
    alice = server.client(server.newAgent("alice"));
    aliceId = alice.agents().whoami().id();
    bob = server.newAgent("bob");
    mcp = new StdioTools(server.client(bob));
  }

  @AfterEach
  void disconnect() throws Exception {
    mcp.close();
  }

  @Test
  void theInstructionsSayFilesGoByPath() {
    assertThat(mcp.initialized().path("instructions").asString()).contains(McpServers.FILES_LOCAL);
  }

  @Test
  void sendMessageUploadsFilesByPathAndTheRecipientGetsTheirBytes() throws Exception {
    Path log = Files.writeString(dir.resolve("build.log"), "compiling…\nBUILD FAILED\n");
    Path data = Files.write(dir.resolve("data.bin"), random(300_000, 1));

    JsonNode sent =
        mcp.ok(
            "send_message",
            Map.of(
                "to",
                aliceId,
                "attachments",
                List.of(
                    Map.of("path", relative(log)),
                    Map.of(
                        "path",
                        data.toString(),
                        "name",
                        "renamed.dat",
                        "content_type",
                        "application/x-test"))));

    MessageView got = alice.messages().get(sent.path("id").asString());
    assertThat(got.payload().asString()).isEmpty();
    List<AttachmentView> files = got.attachments();
    assertThat(files).hasSize(2);
    assertThat(files.get(0).name()).isEqualTo("build.log");
    assertThat(files.get(0).contentType()).isEqualTo("text/plain");
    assertThat(files.get(0).sha256()).isEqualTo(sha256(Files.readAllBytes(log)));
    assertThat(files.get(1).name()).isEqualTo("renamed.dat");
    assertThat(files.get(1).contentType()).isEqualTo("application/x-test");
    try (InputStream in = alice.attachments().open(got.id(), 1)) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(data));
    }
  }

  @Test
  void aPathThatNamesNoReadableFileIsRefusedByNameAndNothingIsSent() throws IOException {
    Path missing = dir.resolve("missing.txt");
    Path real = Files.writeString(dir.resolve("real.txt"), "real");

    assertThat(
            mcp.refused(
                "send_message",
                Map.of(
                    "to",
                    aliceId,
                    "attachments",
                    List.of(Map.of("path", real.toString()), Map.of("path", missing.toString())))))
        .contains("attachments[1]", "'path'", missing.toString(), "does not exist");
    assertThat(
            mcp.refused(
                "reply",
                Map.of(
                    "message_id",
                    alice.messages().send(Draft.direct(bob.id()).text("files?")).id(),
                    "attachments",
                    List.of(Map.of("path", dir.toString())))))
        .contains("attachments[0]", "directory", dir.toString());
    assertThat(
            mcp.refused(
                "send_messages",
                Map.of(
                    "messages",
                    List.of(
                        Map.of("to", aliceId, "payload", "ok"),
                        Map.of(
                            "to",
                            aliceId,
                            "attachments",
                            List.of(Map.of("path", relative(missing))))))))
        .contains("messages[1]", "attachments[0]", missing.toString());
    assertThat(alice.messages().unreadCount().unread()).isZero();
  }

  @Test
  void getAttachmentSavesTheWholeFileCheckedAndNeverOverwritesUnlessAsked() throws Exception {
    byte[] bytes = random(2_000_000, 2);
    Path original = Files.write(dir.resolve("original.bin"), bytes);
    String id =
        alice
            .messages()
            .send(
                Draft.direct(bob.id())
                    .text("a big one")
                    .attach(alice.uploads().upload(original, McpContract.text())))
            .id();
    Path target = dir.resolve("copy.bin");

    JsonNode saved =
        mcp.ok("get_attachment", Map.of("message_id", id, "save_to", relative(target)));

    assertThat(saved.path("saved_to").asString()).isEqualTo(target.toString());
    assertThat(saved.path("size").asLong()).isEqualTo(bytes.length);
    assertThat(saved.path("sha256").asString()).isEqualTo(sha256(bytes));
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(
            mcp.refused("get_attachment", Map.of("message_id", id, "save_to", target.toString())))
        .contains("'save_to'", target.toString(), "exists", "overwrite=true");
    Files.writeString(target, "something else");
    mcp.ok(
        "get_attachment",
        Map.of("message_id", id, "save_to", target.toString(), "overwrite", true));
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(mcp.refused("get_attachment", Map.of("message_id", id, "save_to", dir.toString())))
        .contains("'save_to'", "directory");
    assertThat(
            mcp.refused(
                "get_attachment",
                Map.of("message_id", id, "save_to", dir.resolve("no/such/dir/x").toString())))
        .contains("does not exist");
    assertThat(
            mcp.refused(
                "get_attachment", Map.of("message_id", id, "save_to", "x.bin", "max_chars", 10)))
        .contains("max_chars");

    JsonNode start = mcp.ok("get_attachment", Map.of("message_id", id, "max_chars", 100));
    assertThat(start.path("shown_chars").asInt()).isEqualTo(100);
    assertThat(McpContract.notes(start))
        .contains("the first 100 characters", "2,000,000 bytes", "save_to=")
        .doesNotContain("GET /v1");
  }

  @Test
  void anExcerptNeverCutsACharacterInTwo() throws IOException {
    // Two bytes each after the first: the excerpt's 64 KiB end inside one.
    String text = "a" + "é".repeat(50_000);
    Path file = Files.writeString(dir.resolve("accents.txt"), text);
    String id =
        alice
            .messages()
            .send(
                Draft.direct(bob.id())
                    .text("accents")
                    .attach(alice.uploads().upload(file, McpContract.text())))
            .id();

    JsonNode most =
        mcp.ok("get_attachment", Map.of("message_id", id, "max_chars", AttachmentTool.MAX_CHARS));

    assertThat(most.path("text").asString())
        .isEqualTo("a" + "é".repeat(AttachmentTool.MAX_READ / 2 - 1))
        .doesNotContain("\uFFFD");
  }

  /** {@code file} relative to this JVM's working directory, where the stdio server resolves it. */
  private static String relative(Path file) {
    return Path.of("").toAbsolutePath().relativize(file.toAbsolutePath()).toString();
  }

  private static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
