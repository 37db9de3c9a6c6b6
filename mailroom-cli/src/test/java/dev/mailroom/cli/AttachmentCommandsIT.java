package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.client.UploadOptions;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.UploadView;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code send --attach}, {@code attachment list} and {@code attachment get} against a server. */
class AttachmentCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @TempDir Path dir;

  private static String idOf(Cli.Result sent) {
    return Json.mapper().readTree(sent.out()).get("id").asString();
  }

  private Path file(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void filesSentAttachedAreListedShownAndSavedUnderTheirNames() throws IOException {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Path log = Files.writeString(dir.resolve("build.txt"), "line 1\nline 2\n");
    Path dump = file("core.dump", 300_000);

    Cli.Result sent =
        Cli.as(server, alice.token())
            .run(
                "send",
                bob.id(),
                "the failing run",
                "--attach",
                log.toString(),
                "--attach",
                dump.toString());
    assertThat(sent.exit()).as("%s", sent).isZero();
    assertThat(sent.out()).startsWith("sent ").contains("(1 recipient) with 2 attachments");
    assertThat(sent.err()).as("no progress bar off a terminal").isEmpty();
    String id = sent.out().split(" ")[1];

    Cli asBob = Cli.as(server, bob.token());
    Cli.Result list = asBob.run("attachment", "list", id);
    assertThat(list.exit()).as("%s", list).isZero();
    assertThat(list.out().lines())
        .hasSize(3)
        .anySatisfy(l -> assertThat(l).startsWith("0  build.txt").contains("14 B"))
        .anySatisfy(l -> assertThat(l).startsWith("1  core.dump").contains("293.0 KiB"));
    Cli.Result listJson = asBob.run("attachment", "list", id, "--json");
    assertThat(listJson.out().lines().map(l -> Json.mapper().readTree(l).get("name").asString()))
        .containsExactly("build.txt", "core.dump");

    Cli.Result read = asBob.run("read", id, "--keep-unread");
    assertThat(read.out())
        .contains("attachments:  0 build.txt (text/plain, 14 B)")
        .contains("              1 core.dump (");
    assertThat(asBob.run("inbox").out()).contains("(2 attachments)  the failing run");

    Path downloads = Files.createDirectories(dir.resolve("downloads"));
    Cli.Result got = asBob.run("attachment", "get", id, "-o", downloads.toString());
    assertThat(got.exit()).as("%s", got).isZero();
    assertThat(got.out().lines())
        .containsExactly(
            "saved " + downloads.resolve("build.txt") + " (14 B, sha256 " + sha(log) + ")",
            "saved " + downloads.resolve("core.dump") + " (293.0 KiB, sha256 " + sha(dump) + ")");
    assertThat(Files.readAllBytes(downloads.resolve("core.dump")))
        .isEqualTo(Files.readAllBytes(dump));
    assertThat(downloads.resolve("core.dump.part")).doesNotExist();

    Cli.Result again = asBob.run("attachment", "get", id, "1", "-o", downloads.toString());
    assertThat(again.exit()).as("%s", again).isEqualTo(ExitCode.USAGE.code());
    assertThat(again.err()).contains("core.dump exists; add --force");
    Files.writeString(downloads.resolve("core.dump"), "old");
    Cli.Result forced =
        asBob.run("attachment", "get", id, "1", "-o", downloads.toString(), "--force", "--json");
    assertThat(forced.exit()).as("%s", forced).isZero();
    JsonNode saved = Json.mapper().readTree(forced.out());
    assertThat(saved.get("message_id").asString()).isEqualTo(id);
    assertThat(saved.get("attachment").get("sha256").asString()).isEqualTo(sha(dump));
    assertThat(Files.readAllBytes(downloads.resolve("core.dump")))
        .isEqualTo(Files.readAllBytes(dump));

    Path renamed = dir.resolve("renamed.log");
    assertThat(asBob.run("attachment", "get", id, "0", "-o", renamed.toString()).exit()).isZero();
    assertThat(Files.readString(renamed)).isEqualTo("line 1\nline 2\n");
    Cli.Result several = asBob.run("attachment", "get", id, "-o", renamed.toString(), "--force");
    assertThat(several.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(several.err()).contains("is not a directory, and there are 2 attachments");

    Cli.Result missing = asBob.run("attachment", "get", id, "2", "-o", downloads.toString());
    assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(missing.err()).contains("has no attachment 2 (2 in all)");
    AgentCreated carol = server.newAgent("carol");
    assertThat(Cli.as(server, carol.token()).run("attachment", "list", id).exit())
        .isEqualTo(ExitCode.FORBIDDEN.code());
  }

  @Test
  void aSendMayCarryFilesAloneAndShowsProgressOnATerminal() throws IOException {
    AgentCreated alice = server.newAgent("alice");
    AgentCreated bob = server.newAgent("bob");
    Path data = file("data.bin", 3_000_000);

    Cli.Result sent =
        Cli.as(server, alice.token())
            .interactive()
            .run("send", bob.id(), "--attach", data.toString(), "--json");
    assertThat(sent.exit()).as("%s", sent).isZero();
    assertThat(sent.err()).contains("\ruploading data.bin [").contains("100%  2.9 MiB / 2.9 MiB");
    MessageView m = server.client(bob).messages().get(idOf(sent));
    assertThat(m.contentType()).isEqualTo("text/plain");
    assertThat(m.payload().asString()).isEmpty();
    assertThat(m.attachments())
        .singleElement()
        .satisfies(a -> assertThat(a.size()).isEqualTo(3_000_000));

    Cli.Result got =
        Cli.as(server, bob.token())
            .interactive()
            .run("attachment", "get", idOf(sent), "-o", dir.resolve("copy.bin").toString());
    assertThat(got.exit()).as("%s", got).isZero();
    assertThat(got.err()).contains("\rdownloading data.bin [").contains("100%");
    assertThat(Files.readAllBytes(dir.resolve("copy.bin"))).isEqualTo(Files.readAllBytes(data));

    Cli.Result noFile =
        Cli.as(server, alice.token())
            .run("send", bob.id(), "--attach", dir.resolve("nope").toString());
    assertThat(noFile.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(noFile.err()).contains("no such file");
  }

  @Test
  void aNameThatIsNotAPlainFileNameIsRefusedShownSafelyAndSavedUnderOneGiven() throws IOException {
    AgentCreated mallory = server.newAgent("mallory");
    AgentCreated bob = server.newAgent("bob");
    String id;
    try (MailroomClient client = server.client(mallory)) {
      byte[] bytes = "export PATH=/tmp/evil:$PATH\n".getBytes(StandardCharsets.UTF_8);
      UploadView hidden =
          client
              .uploads()
              .upload(
                  new ByteArrayInputStream(bytes),
                  bytes.length,
                  ".profile",
                  UploadOptions.DEFAULTS);
      UploadView tricky =
          client
              .uploads()
              .upload(
                  new ByteArrayInputStream(bytes),
                  bytes.length,
                  "invoice\u202efdp.sh",
                  UploadOptions.DEFAULTS);
      id =
          client
              .messages()
              .send(Draft.direct(bob.id()).text("hi").attach(hidden).attach(tricky))
              .id();
    }
    Cli asBob = Cli.as(server, bob.token());
    Path home = Files.createDirectories(dir.resolve("home"));

    Cli.Result refused = asBob.run("attachment", "get", id, "0", "-o", home.toString());
    assertThat(refused.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(refused.err()).contains("\".profile\", which is not a plain file name; give -o");
    Cli.Result tricky = asBob.run("attachment", "get", id, "1", "-o", home.toString());
    assertThat(tricky.exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(tricky.err()).contains("invoice\\u202efdp.sh").doesNotContain("\u202e");
    assertThat(home).isEmptyDirectory();
    Cli.Result list = asBob.run("attachment", "list", id);
    assertThat(list.out()).contains("invoice\\u202efdp.sh").doesNotContain("\u202e");

    Path chosen = home.resolve("mallory-profile.txt");
    assertThat(asBob.run("attachment", "get", id, "0", "-o", chosen.toString()).exit()).isZero();
    assertThat(Files.readString(chosen)).startsWith("export PATH");
  }

  private static String sha(Path file) throws IOException {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
