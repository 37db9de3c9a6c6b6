package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminBootstrapTest {
  @TempDir Path dataDir;
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"));
  private final AgentStore agents =
      InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS).agents();

  private Optional<String> run(Optional<String> configured) {
    return AdminBootstrap.run(agents, configured, dataDir, clock);
  }

  private boolean adminHasToken(String token) {
    return agents
        .findByTokenHash(Tokens.hash(token))
        .filter(a -> a.id().equals(AgentId.of("admin")) && a.principal().isAdmin())
        .isPresent();
  }

  @Test
  void theFirstStartWithoutATokenGeneratesOneAndWritesItForTheOwnerOnly() throws IOException {
    String token = run(Optional.empty()).orElseThrow();

    Path file = dataDir.resolve("admin.token");
    assertThat(Files.readString(file).strip()).isEqualTo(token);
    assertThat(adminHasToken(token)).isTrue();
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aLaterStartWithoutATokenKeepsTheAdminAndGeneratesNothing() throws IOException {
    String first = run(Optional.empty()).orElseThrow();
    Files.delete(dataDir.resolve("admin.token"));

    assertThat(run(Optional.empty())).isEmpty();
    assertThat(adminHasToken(first)).isTrue();
    assertThat(dataDir.resolve("admin.token")).doesNotExist();
  }

  @Test
  void aConfiguredTokenBecomesTheAdminsTokenOnEveryStart() {
    String generated = run(Optional.empty()).orElseThrow();

    assertThat(run(Optional.of("mr_chosen_1"))).isEmpty();
    assertThat(adminHasToken("mr_chosen_1")).isTrue();
    assertThat(adminHasToken(generated)).isFalse();

    assertThat(run(Optional.of("mr_chosen_2"))).isEmpty();
    assertThat(adminHasToken("mr_chosen_2")).isTrue();
    assertThat(adminHasToken("mr_chosen_1")).isFalse();
  }

  @Test
  void aConfiguredTokenOnAFreshStoreCreatesTheAdminWithoutAFile() {
    assertThat(run(Optional.of("mr_chosen"))).isEmpty();

    assertThat(adminHasToken("mr_chosen")).isTrue();
    assertThat(dataDir.resolve("admin.token")).doesNotExist();
  }
}
