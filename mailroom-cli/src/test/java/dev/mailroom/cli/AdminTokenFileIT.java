package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap admin token (generated on first start), through the real launcher entry point. */
class AdminTokenFileIT {
  @TempDir Path dataDir;
  @TempDir Path logs;

  @Test
  void withoutMailroomAdminTokenTheServerGeneratesOneWritesItWithMode0600AndPrintsItOnce()
      throws IOException {
    Path log = logs.resolve("server.log");
    Path file = dataDir.resolve("admin.token");
    String token;
    try (ServerProcess server = ServerProcess.start(dataDir, null, log)) {
      assertThat(file).isRegularFile();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      token = Files.readString(file).strip();
      assertThat(token).isNotEmpty().doesNotContainAnyWhitespaces();
      assertThat(countOf(server.output(), token)).as("times the token was printed").isEqualTo(1);

      Http.Answer created =
          new Http(server.baseUri(), token)
              .post("/v1/agents", Map.of("id", "first-agent", "roles", List.of("agent")));
      assertThat(created.status()).as("%s", created).isEqualTo(201);
    }

    // The generated token keeps working after a restart on the same data directory.
    try (ServerProcess again = ServerProcess.start(dataDir, null, log)) {
      Http.Answer created =
          new Http(again.baseUri(), token)
              .post("/v1/agents", Map.of("id", "after-restart", "roles", List.of("agent")));

      assertThat(created.status()).as("%s", created).isEqualTo(201);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aTokenFromTheEnvironmentIsUsedAndNotWrittenToDisk() {
    String token = "mr_test_admin_from_env_0123456789abcdef";
    Path log = logs.resolve("server.log");
    try (ServerProcess server = ServerProcess.start(dataDir, token, log)) {
      Http.Answer created =
          new Http(server.baseUri(), token)
              .post("/v1/agents", Map.of("id", "env-agent", "roles", List.of("agent")));

      assertThat(created.status()).as("%s", created).isEqualTo(201);
      assertThat(dataDir.resolve("admin.token")).doesNotExist();
      assertThat(
              new Http(server.baseUri(), token + "x")
                  .post("/v1/agents", Map.of("id", "other", "roles", List.of("agent")))
                  .status())
          .isEqualTo(401);
    }
  }

  private static int countOf(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      count++;
    }
    return count;
  }
}
