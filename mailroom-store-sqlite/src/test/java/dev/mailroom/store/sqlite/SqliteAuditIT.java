package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.AuditRecords;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit records edited in the file behind the store's back, as the schema documents them: the store
 * hands out what is stored, so that verifying the chain finds the edit.
 */
class SqliteAuditIT {
  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();

  @Test
  void anEditedRecordIsReadAsEditedAndAnUnreadableOneIsLeftOut() throws Exception {
    Path file = dir.resolve("audit.db");
    try (Storage s = SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
      List<AuditRecord> log = AuditRecords.chain("node-1", 0, 3, clock.instant());
      s.audit().append(log);

      try (CachedConnection c = CachedConnection.openWriter(file)) {
        c.execute("UPDATE audit SET actor = 'mallory' WHERE chain = 'node-1' AND idx = 1");
        c.execute("UPDATE audit SET outcome = 'fine' WHERE chain = 'node-1' AND idx = 2");
      }

      AuditRecord asStored = AuditRecords.withActor(log.get(1), "mallory");
      assertThat(s.audit().chain("node-1", 0, 10)).containsExactly(log.get(0), asStored);
      assertThat(s.audit().query(AuditQuery.all(10)).records())
          .containsExactly(log.get(0), asStored);
    }
  }
}
