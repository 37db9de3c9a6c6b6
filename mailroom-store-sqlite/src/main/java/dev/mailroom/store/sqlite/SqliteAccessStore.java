package dev.mailroom.store.sqlite;

import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.PolicyDocument;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalLong;

/**
 * The SQLite {@link AccessStore}: the one row of {@code access_policy}. A replacement is an update
 * conditional on the stored version, run by the writer, so of two replacements of one version
 * exactly one changes the row. Thread-safe.
 */
final class SqliteAccessStore implements AccessStore {
  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqliteAccessStore(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public PolicyDocument policy() {
    return readers.read(
        "read access policy",
        c -> {
          try (ResultSet rs =
              c.prepare("SELECT version, content FROM access_policy WHERE id = 1").executeQuery()) {
            return rs.next()
                ? new PolicyDocument(rs.getLong(1), rs.getString(2))
                : PolicyDocument.EMPTY;
          }
        });
  }

  @Override
  public OptionalLong replacePolicy(long expectedVersion, String document) {
    return writer.execute(
        "replace access policy",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE access_policy SET version = version + 1, content = ?"
                      + " WHERE id = 1 AND version = ?");
          ps.setString(1, document);
          ps.setLong(2, expectedVersion);
          if (ps.executeUpdate() == 0) {
            return OptionalLong.empty();
          }
          s.changed(ChangeListener::accessChanged);
          return OptionalLong.of(expectedVersion + 1);
        });
  }
}
