package dev.mailroom.store.sqlite;

import dev.mailroom.core.spool.Spool;
import dev.mailroom.testkit.SpoolContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteSpoolContractIT extends SpoolContract {
  @TempDir Path dir;

  @Override
  protected Spool open(Spool.Limits limits) {
    return SqliteSpool.open(dir, limits);
  }
}
