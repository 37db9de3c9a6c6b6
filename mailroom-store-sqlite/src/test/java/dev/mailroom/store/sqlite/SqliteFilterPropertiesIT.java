package dev.mailroom.store.sqlite;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.StorageFilterProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AfterTry;

/** The filter property on SQLite: a fresh temp file per try, deleted after it. */
class SqliteFilterPropertiesIT extends StorageFilterProperties {
  private final Path dir;
  private final List<Path> files = new ArrayList<>();

  SqliteFilterPropertiesIT() throws IOException {
    dir = Files.createTempDirectory("mailroom-filter-properties");
  }

  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    Path file = dir.resolve("try-" + files.size() + ".db");
    files.add(file);
    return SqliteStorage.open(SqliteOptions.of(file), clock, retention);
  }

  @AfterTry
  void deleteTheTrysFiles() {
    for (Path f : files) {
      for (String suffix : List.of("", "-wal", "-shm")) {
        delete(Path.of(f + suffix));
      }
    }
  }

  @AfterProperty
  void deleteTheDirectory() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(SqliteFilterPropertiesIT::delete);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
