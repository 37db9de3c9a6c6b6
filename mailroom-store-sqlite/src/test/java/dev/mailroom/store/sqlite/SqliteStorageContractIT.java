package dev.mailroom.store.sqlite;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.StorageContract;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on SQLite: a fresh temp file per storage, reopened from the same file. */
class SqliteStorageContractIT extends StorageContract {
  @TempDir Path dir;
  private int files;
  private Path current = Path.of("unused");

  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    current = dir.resolve("mailroom-" + ++files + ".db");
    return SqliteStorage.open(SqliteOptions.of(current), clock, retention);
  }

  @Override
  protected Set<Capability> capabilities() {
    return Set.of(Capability.REOPEN);
  }

  @Override
  protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
    return SqliteStorage.open(SqliteOptions.of(current), clock, retention);
  }
}
