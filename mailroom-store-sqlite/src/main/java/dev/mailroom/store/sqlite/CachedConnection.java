package dev.mailroom.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection with its prepared statements cached by SQL text, so a statement is compiled
 * once per connection. The cache is bounded (least recently used statements are closed) because
 * listing SQL varies with the filter combination.
 *
 * <p>Not thread-safe: a connection is used by one thread at a time (the writer, or a reader that
 * borrowed it from the {@link ReadPool}), and only that thread {@link #reopen reopens} it.
 */
final class CachedConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CachedConnection.class);
  static final int MAX_CACHED_STATEMENTS = 128;

  /** The size a write-ahead log that grew past it is cut back to when it starts over (bytes). */
  static final long WAL_SIZE_LIMIT = 64L << 20;

  private final Path file;
  private final Settings settings;
  private final Map<String, PreparedStatement> statements;
  private Connection connection;

  /** What a kind of connection sets up after the settings every connection has. */
  @FunctionalInterface
  private interface Settings {
    void apply(Statement s) throws SQLException;
  }

  private CachedConnection(Path file, Settings settings) throws SQLException {
    this.file = file;
    this.settings = settings;
    this.connection = connect(file, settings);
    this.statements =
        new LinkedHashMap<>(32, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_CACHED_STATEMENTS) {
              return false;
            }
            closeQuietly(eldest.getValue());
            return true;
          }
        };
  }

  /**
   * Opens the one connection that writes: WAL journal and {@code synchronous=FULL}, so a commit is
   * on disk before it returns.
   */
  static CachedConnection openWriter(Path file) throws SQLException {
    return new CachedConnection(file, CachedConnection::writerSettings);
  }

  private static void writerSettings(Statement s) throws SQLException {
    s.execute("PRAGMA journal_mode = WAL");
    s.execute("PRAGMA synchronous = FULL");
    // The writer's cache holds the hot index pages of every mailbox being written to.
    s.execute("PRAGMA cache_size = -65536");
    // The Checkpointer copies the log into the file on its own thread, never the writer.
    s.execute("PRAGMA wal_autocheckpoint = 0");
    s.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
  }

  /**
   * Opens the connection that runs checkpoints ({@link Checkpointer}). It reads and writes no rows;
   * a checkpoint copies committed pages from the log into the database file.
   */
  static CachedConnection openCheckpointer(Path file) throws SQLException {
    return new CachedConnection(file, s -> {});
  }

  /** Opens a connection that refuses writes; WAL lets it read committed data while we write. */
  static CachedConnection openReader(Path file) throws SQLException {
    return new CachedConnection(
        file,
        s -> {
          s.execute("PRAGMA query_only = ON");
          s.execute("PRAGMA cache_size = -32768");
        });
  }

  private static Connection connect(Path file, Settings settings) throws SQLException {
    Connection c = open(file);
    try (Statement s = c.createStatement()) {
      settings.apply(s);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static Connection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    // Otherwise the driver runs "SELECT last_insert_rowid()" (prepared anew) after every INSERT.
    config.setGetGeneratedKeys(false);
    Connection c =
        DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    try (Statement s = c.createStatement()) {
      // The writer never waits for a lock (it is the only writer); readers never block in WAL.
      // The timeout only covers checkpoints and external tools holding the file.
      s.execute("PRAGMA busy_timeout = 5000");
      s.execute("PRAGMA temp_store = MEMORY");
      s.execute("PRAGMA mmap_size = 268435456");
      s.execute("PRAGMA foreign_keys = OFF");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /**
   * The cached statement for {@code sql}, prepared on first use. Do not close it. The driver closes
   * a statement whose step failed (a full disk, an I/O error); such a one is prepared again.
   */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Runs a statement that returns nothing, without caching it (pragmas, DDL). */
  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  Connection connection() {
    return connection;
  }

  /**
   * Closes the connection and its statements and opens the file again with the same settings: a
   * fresh start after SQLite ended a transaction on its own (a full disk, an I/O error), which the
   * driver does not notice, or after it opened a file it could not write read-only. If opening
   * fails, this connection stays closed; {@code reopen} may be called again.
   */
  void reopen() throws SQLException {
    close();
    connection = connect(file, settings);
  }

  @Override
  public void close() {
    statements.values().forEach(CachedConnection::closeQuietly);
    statements.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing an SQLite connection failed", e);
    }
  }

  private static void closeQuietly(Statement s) {
    try {
      s.close();
    } catch (SQLException e) {
      LOG.debug("closing a cached statement failed", e);
    }
  }
}
