package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mailroom.client.Backoff;
import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.SendRetry;
import dev.mailroom.client.UploadOptions;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.UploadView;
import dev.mailroom.testkit.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A 200 MiB file goes from one agent to another through a server whose heap (128 MiB) could not
 * hold it: by the SDK, in 8 MiB parts sent out of order, one twice, across a connection reset and a
 * connection cut that stops the upload, resumed by a new client; and by the CLI ({@code send
 * --attach}, {@code attachment get}). Both downloads must have the file's SHA-256, and the server
 * must still be running at the end. The server runs as its own JVM.
 */
class LargeAttachmentIT {
  private static final String ADMIN_TOKEN = "mr_test_admin_large_attachment_0123456789ab";
  private static final int MIB = 1024 * 1024;
  private static final long SIZE = 200L * MIB;
  private static final int PART = 8 * MIB;

  @TempDir static Path temp;

  private static ServerProcess server;
  private static Path original;
  private static String originalSha256;
  private static AgentCreated alice;
  private static AgentCreated bob;

  @BeforeAll
  static void startServerAndWriteTheFile() throws IOException {
    Path data = Files.createDirectories(temp.resolve("data"));
    server = ServerProcess.start(data, ADMIN_TOKEN, temp.resolve("server.log"), "128m");
    try (MailroomClient admin = MailroomClient.create(server.baseUri(), ADMIN_TOKEN)) {
      alice = admin.agents().create("alice");
      bob = admin.agents().create("bob");
    }
    original = temp.resolve("dataset.bin");
    originalSha256 = writeRandom(original, SIZE);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theSdkUploadsOutOfOrderAcrossCutsResumesAndTheRecipientDownloadsTheSameBytes()
      throws Exception {
    UploadOptions eightMib = UploadOptions.builder().partSize(PART).build();
    String uploadId;
    try (MailroomClient sender = client(server.baseUri(), alice, SendRetry.DEFAULT)) {
      UploadView begun = sender.uploads().begin(original, eightMib);
      assertThat(begun.parts()).isEqualTo(25);
      uploadId = begun.id();
      // Out of order, and part 10 twice: a part sent again replaces the first, bytes unchanged.
      for (int n : new int[] {24, 10, 3, 10}) {
        sender.uploads().part(uploadId, n, part(original, n));
      }
      assertThat(sender.uploads().get(uploadId).missing()).hasSize(22).doesNotContain(3, 10, 24);
    }

    // The rest through a proxy: reset once (the parts in flight go again by themselves), then
    // closed for good, which stops the upload once its retries find nothing moving.
    SendRetry impatient =
        new SendRetry(
            Duration.ofSeconds(1), Backoff.of(Duration.ofMillis(50), Duration.ofMillis(200)));
    AtomicBoolean reset = new AtomicBoolean();
    MailroomClientException stopped;
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", server.baseUri().getPort());
        MailroomClient viaProxy =
            client(URI.create("http://127.0.0.1:" + proxy.port()), alice, impatient)) {
      UploadOptions cutting =
          eightMib.withProgress(
              (done, total) -> {
                if (done >= 64L * MIB && reset.compareAndSet(false, true)) {
                  proxy.reset();
                } else if (done >= 128L * MIB) {
                  proxy.close();
                }
              });
      stopped =
          assertThrows(
              MailroomClientException.class,
              () -> viaProxy.uploads().resume(uploadId, original, cutting));
    }
    assertThat(reset).isTrue();
    assertThat(stopped.kind()).isEqualTo(MailroomClientException.Kind.CONNECTION_FAILED);
    assertThat(stopped.getMessage()).contains("upload " + uploadId);

    String messageId;
    try (MailroomClient again = client(server.baseUri(), alice, SendRetry.DEFAULT)) {
      List<Integer> missing = again.uploads().get(uploadId).missing();
      assertThat(missing).isNotEmpty().hasSizeLessThan(25 - 4);
      UploadView done = again.uploads().resume(uploadId, original, eightMib);
      assertThat(done.complete()).isTrue();
      assertThat(done.sha256()).contains(originalSha256);
      messageId =
          again.messages().send(Draft.direct(bob.id()).text("the dataset").attach(done)).id();
    }

    Path copy = temp.resolve("sdk-copy.bin");
    try (MailroomClient recipient = client(server.baseUri(), bob, SendRetry.DEFAULT)) {
      AttachmentView got = recipient.attachments().download(messageId, 0, copy);
      assertThat(got.size()).isEqualTo(SIZE);
      assertThat(got.name()).isEqualTo("dataset.bin");
    }
    try {
      assertThat(sha256(copy)).isEqualTo(originalSha256);
    } finally {
      Files.deleteIfExists(copy);
    }
    assertServerAlive();
  }

  @Test
  void theCliSendsTheFileAttachedAndTheRecipientGetsTheSameBytes() throws Exception {
    String url = server.baseUri().toString();
    Cli.Result sent =
        Cli.bare()
            .run(
                "send",
                bob.id(),
                "--attach",
                original.toString(),
                "--server",
                url,
                "--token",
                alice.token(),
                "--json");
    assertThat(sent.exit()).as("%s", sent).isZero();
    String messageId = Json.mapper().readTree(sent.out()).get("id").asString();

    Path downloads = Files.createDirectories(temp.resolve("downloads"));
    Cli.Result got =
        Cli.bare()
            .run(
                "attachment",
                "get",
                messageId,
                "-o",
                downloads.toString(),
                "--server",
                url,
                "--token",
                bob.token(),
                "--json");
    assertThat(got.exit()).as("%s", got).isZero();
    JsonNode saved = Json.mapper().readTree(got.out());
    Path copy = downloads.resolve("dataset.bin");
    assertThat(saved.get("path").asString()).isEqualTo(copy.toString());
    try {
      assertThat(sha256(copy)).isEqualTo(originalSha256);
    } finally {
      Files.deleteIfExists(copy);
    }
    assertServerAlive();
  }

  private static void assertServerAlive() {
    assertThat(server.alive()).as("the server is running").isTrue();
    assertThat(server.output()).doesNotContain("OutOfMemoryError");
  }

  private static MailroomClient client(URI uri, AgentCreated agent, SendRetry retry) {
    return MailroomClient.builder().baseUri(uri).token(agent.token()).sendRetry(retry).build();
  }

  /** Part {@code n} of the file, read whole: the test may hold one part, the server may not. */
  private static byte[] part(Path file, int n) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long offset = (long) n * PART;
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(PART, channel.size() - offset));
      while (buffer.hasRemaining()) {
        channel.read(buffer, offset + buffer.position());
      }
      return buffer.array();
    }
  }

  /** Writes {@code size} random bytes and answers their SHA-256. */
  private static String writeRandom(Path file, long size) throws IOException {
    MessageDigest md = sha256Digest();
    SplittableRandom random = new SplittableRandom(16);
    byte[] chunk = new byte[MIB];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= chunk.length) {
        for (int i = 0; i < chunk.length; i += 8) {
          long r = random.nextLong();
          for (int j = 0; j < 8; j++) {
            chunk[i + j] = (byte) (r >>> (8 * j));
          }
        }
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        md.update(chunk, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest md = sha256Digest();
    byte[] buffer = new byte[MIB];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
