package dev.mailroom.store.sqlite;

import dev.mailroom.core.Priority;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database schema and its version ({@code PRAGMA user_version}). Version 0 is an empty file;
 * each later version is reached by one migration step, so a file written by an older Mailroom is
 * upgraded in place and a file written by a newer one is refused.
 *
 * <p>Why the tables look as they do:
 *
 * <ul>
 *   <li>{@code messages} holds each message once, however many mailboxes it is in; {@code refs}
 *       counts the entries pointing at it so dropping the last entry can delete it.
 *   <li>{@code entries} is one row per (mailbox, message) with the filter columns copied in, so a
 *       filtered page is an index range scan on (mailbox, id), or (mailbox, sender, id), or
 *       (mailbox, priority, id), in either direction, without touching {@code messages} until the
 *       page is known. The two secondary indexes carry every filter column, so a scan on them never
 *       looks up table rows either.
 *   <li>The secondary indexes leave out the entries of bounded (agent) mailboxes: those hold at
 *       most {@link dev.mailroom.core.RetentionPolicy#maxInboxSize()} entries, so a scan of their
 *       (mailbox, id) key is short anyway, while they see the most churn (once full, every send
 *       inserts one entry and drops another). Keeping them out of two indexes cuts the pages a
 *       batch of sends dirties, and so the bytes each commit writes and syncs, by about half.
 *   <li>Tags are filtered on a copy in {@code entries} (space-delimited, so {@code instr} finds a
 *       whole tag), not on a (message, tag) table: a tag test is then a string search in the row
 *       being scanned instead of one more B-tree probe per candidate, and a send writes one row
 *       fewer per tag.
 *   <li>{@code mailboxes.size} is maintained by the writer so a send never counts rows.
 * </ul>
 */
final class Schema {
  static final int VERSION = 1;

  /** The lowest priority the partial (mailbox, priority, id) index holds. */
  static final Priority INDEXED_PRIORITY = Priority.HIGH;

  /**
   * The condition of both partial secondary indexes: entries of unbounded (shared and topic)
   * mailboxes only. A listing must contain it word for word for SQLite to use them.
   */
  static final String UNBOUNDED_ENTRY = "bounded = 0";

  private static final List<String> V1 =
      List.of(
          """
          CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            sender TEXT NOT NULL,
            mode TEXT NOT NULL,
            target TEXT,
            content_type TEXT NOT NULL,
            language TEXT,
            payload BLOB NOT NULL,
            priority INTEGER NOT NULL,
            tags TEXT NOT NULL,
            metadata TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            thread_id TEXT,
            in_reply_to INTEGER,
            idempotency_key TEXT,
            recipients INTEGER NOT NULL,
            refs INTEGER NOT NULL)""",
          "CREATE INDEX messages_expires_at ON messages (expires_at)",
          """
          CREATE TABLE entries (
            mailbox TEXT NOT NULL,
            id INTEGER NOT NULL,
            sender TEXT NOT NULL,
            priority INTEGER NOT NULL,
            content_type TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            tags TEXT NOT NULL,
            bounded INTEGER NOT NULL,
            PRIMARY KEY (mailbox, id)) WITHOUT ROWID""",
          // Covering: after (mailbox, sender|priority, id), which fix the order, every filter
          // column follows, so a listing on either index never looks up the table row.
          "CREATE INDEX entries_sender ON entries"
              + " (mailbox, sender, id, priority, content_type, expires_at, tags)"
              + " WHERE "
              + UNBOUNDED_ENTRY,
          // Partial: only the priorities above normal, the rare ones an index is worth having for.
          // A listing for normal or above scans the (mailbox, id) key for normal, which is common,
          // and this index for high and urgent; every send at low or normal priority (most of
          // them) skips this index entirely, which keeps the pages each batch dirties down.
          "CREATE INDEX entries_priority ON entries"
              + " (mailbox, priority, id, sender, content_type, expires_at, tags)"
              + " WHERE "
              + UNBOUNDED_ENTRY
              + " AND priority >= "
              + INDEXED_PRIORITY.ordinal(),
          "CREATE INDEX entries_expires_at ON entries (expires_at)",
          """
          CREATE TABLE read_state (
            reader TEXT NOT NULL,
            id INTEGER NOT NULL,
            read_at INTEGER,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (reader, id)) WITHOUT ROWID""",
          "CREATE INDEX read_state_id ON read_state (id)",
          "CREATE INDEX read_state_updated_at ON read_state (updated_at)",
          """
          CREATE TABLE mailboxes (
            name TEXT NOT NULL PRIMARY KEY,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            dropped INTEGER NOT NULL,
            created_at INTEGER NOT NULL) WITHOUT ROWID""",
          "CREATE INDEX mailboxes_kind ON mailboxes (kind)",
          """
          CREATE TABLE agents (
            id TEXT NOT NULL PRIMARY KEY,
            roles TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL) WITHOUT ROWID""",
          """
          CREATE TABLE idempotency (
            sender TEXT NOT NULL,
            key TEXT NOT NULL,
            id INTEGER NOT NULL,
            recipients INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (sender, key)) WITHOUT ROWID""",
          "CREATE INDEX idempotency_created_at ON idempotency (created_at)",
          // Small facts about the store itself, e.g. the highest id ever assigned.
          """
          CREATE TABLE meta (
            key TEXT NOT NULL PRIMARY KEY,
            value INTEGER NOT NULL) WITHOUT ROWID""");

  /** The migration steps: element {@code i} takes version {@code i} to {@code i + 1}. */
  private static final List<List<String>> STEPS = List.of(V1);

  private Schema() {}

  /**
   * Brings the database up to {@link #VERSION}, each step in its own transaction.
   *
   * @throws SQLException if the file was written by a newer schema, or a step fails
   */
  static void migrate(CachedConnection writer) throws SQLException {
    int version = version(writer);
    if (version > VERSION) {
      throw new SQLException(
          "the database has schema version " + version + "; this Mailroom knows up to " + VERSION);
    }
    for (int v = version; v < VERSION; v++) {
      writer.execute("BEGIN IMMEDIATE");
      try {
        for (String ddl : STEPS.get(v)) {
          writer.execute(ddl);
        }
        writer.execute("PRAGMA user_version = " + (v + 1));
        writer.execute("COMMIT");
      } catch (SQLException e) {
        writer.execute("ROLLBACK");
        throw e;
      }
    }
  }

  static int version(CachedConnection c) throws SQLException {
    try (Statement s = c.connection().createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
