package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteOptionsTest {
  private static final Path FILE = Path.of("data", "mailroom.db");

  @Test
  void ofUsesTheDocumentedDefaults() {
    SqliteOptions options = SqliteOptions.of(FILE);

    assertThat(options.file()).isEqualTo(FILE);
    assertThat(options.readConnections()).isEqualTo(4);
    assertThat(options.maxBatch()).isEqualTo(1024);
    assertThat(options.queueCapacity()).isEqualTo(8192);
    assertThat(options.enqueueTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void refusesSettingsOutOfRange() {
    Duration t = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new SqliteOptions(FILE, 0, 1, 1, t))
        .hasMessageContaining("read connections");
    assertThatThrownBy(() -> new SqliteOptions(FILE, 65, 1, 1, t))
        .hasMessageContaining("read connections");
    assertThatThrownBy(() -> new SqliteOptions(FILE, 1, 0, 1, t)).hasMessageContaining("max batch");
    assertThatThrownBy(() -> new SqliteOptions(FILE, 1, 1, 0, t))
        .hasMessageContaining("queue capacity");
    assertThatThrownBy(() -> new SqliteOptions(FILE, 1, 1, 1, Duration.ofMillis(-1)))
        .hasMessageContaining("enqueue timeout");
  }

  @Test
  void acceptsTheSmallestValidSettings() {
    SqliteOptions options = new SqliteOptions(FILE, 1, 1, 1, Duration.ZERO);

    assertThat(options.enqueueTimeout()).isZero();
  }
}
