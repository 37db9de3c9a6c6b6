package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import dev.mailroom.core.spi.AuditStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite {@link AuditStore}: one row of {@code audit} per record, every field in its own column
 * as given (see {@link Schema}). An append is one writer task, so it is durable on return and all
 * or nothing; a record whose (chain, index) is stored already is refused with {@link
 * MailroomException.Conflict}, never overwritten. Thread-safe.
 */
final class SqliteAuditStore implements AuditStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteAuditStore.class);
  private static final String COLUMNS =
      "chain, idx, at, request_id, actor, action, resource, status, outcome, detail, prev_hash,"
          + " hash";
  private static final String INSERT =
      "INSERT INTO audit ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chain, idx) DO NOTHING";
  private static final String POSITION = "(at, chain, idx)";

  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqliteAuditStore(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public void append(List<AuditRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    // Nobody's answer waits for the audit log: its records ride in the commit of the next write
    // that someone waits for, such as a send (see GroupCommitWriter), instead of adding a sync.
    writer.executeInBackground(
        "append audit records",
        s -> {
          PreparedStatement ps = s.prepare(INSERT);
          for (AuditRecord r : records) {
            bind(ps, r);
            if (ps.executeUpdate() == 0) {
              throw new MailroomException.Conflict(
                  "audit record " + r.chain() + "#" + r.index() + " is already stored");
            }
          }
          return null;
        });
  }

  private static void bind(PreparedStatement ps, AuditRecord r) throws SQLException {
    ps.setString(1, r.chain());
    ps.setLong(2, r.index());
    ps.setLong(3, r.at().toEpochMilli());
    ps.setString(4, r.requestId());
    ps.setString(5, r.actor());
    ps.setString(6, r.action());
    ps.setString(7, r.resource());
    ps.setInt(8, r.status());
    ps.setString(9, r.outcome().wireName());
    ps.setString(10, r.detail());
    ps.setString(11, r.prevHash());
    ps.setString(12, r.hash());
  }

  /**
   * One statement for the page: the filters as equalities, the position as a row value comparison,
   * and a time range, in the order of the (at, chain, idx) index, so SQLite walks that index's
   * range, tests the filters on its rows and stops after {@code limit + 1} matches (the filters
   * have no indexes of their own: every request writes an audit row, and each index would cost
   * every request). Of the position and the time bound on the same side, only the tighter is
   * written: SQLite would bound its walk by just one of them, and the looser would make each later
   * page start further back.
   */
  @Override
  public AuditPage query(AuditQuery q) {
    boolean asc = q.order() == Order.ASC;
    Optional<Long> since = q.since().map(SqliteAuditStore::ceilMillis);
    Optional<Long> until = q.until().map(SqliteAuditStore::ceilMillis);
    Optional<AuditPosition> after = q.after();
    if (after.isPresent()) {
      long at = after.get().at().toEpochMilli();
      Optional<Long> bound = asc ? since : until;
      if (bound.isPresent() && (asc ? at < bound.get() : at >= bound.get())) {
        after = Optional.empty();
      } else if (asc) {
        since = Optional.empty();
      } else {
        until = Optional.empty();
      }
    }
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    q.actor().ifPresent(a -> condition(where, args, "actor = ?", a));
    q.action().ifPresent(a -> condition(where, args, "action = ?", a));
    q.resource().ifPresent(r -> condition(where, args, "resource = ?", r));
    q.outcome().ifPresent(o -> condition(where, args, "outcome = ?", o.wireName()));
    since.ifPresent(t -> condition(where, args, "at >= ?", t));
    until.ifPresent(t -> condition(where, args, "at < ?", t));
    after.ifPresent(
        p -> {
          where.add(POSITION + (asc ? " > " : " < ") + "(?, ?, ?)");
          args.add(p.at().toEpochMilli());
          args.add(p.chain());
          args.add(p.index());
        });
    String dir = asc ? " ASC" : " DESC";
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM audit"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY at"
            + dir
            + ", chain"
            + dir
            + ", idx"
            + dir
            + " LIMIT ?";
    args.add(q.limit() + 1);
    List<AuditRecord> rows = list("list audit records", sql, args);
    if (rows.size() <= q.limit()) {
      return new AuditPage(rows, Optional.empty());
    }
    List<AuditRecord> page = rows.subList(0, q.limit());
    return new AuditPage(page, Optional.of(page.getLast().position()));
  }

  /**
   * The first whole millisecond at or after {@code t}: records are kept to the millisecond, so
   * {@code at >= t} and {@code at < t} hold exactly when they hold for this millisecond.
   */
  static long ceilMillis(Instant t) {
    return t.toEpochMilli() + (t.getNano() % 1_000_000 == 0 ? 0 : 1);
  }

  private static void condition(List<String> where, List<Object> args, String sql, Object arg) {
    where.add(sql);
    args.add(arg);
  }

  @Override
  public List<AuditRecord> chain(String chain, long fromIndex, int limit) {
    return list(
        "read audit chain",
        "SELECT " + COLUMNS + " FROM audit WHERE chain = ? AND idx >= ? ORDER BY idx LIMIT ?",
        List.of(chain, fromIndex, limit));
  }

  /** Walks the (chain, idx) index from one chain name to the next, never over a chain's rows. */
  @Override
  public List<String> chains() {
    return readers.read(
        "list audit chains",
        c -> {
          List<String> chains = new ArrayList<>();
          try (ResultSet rs =
              c.prepare(
                      "WITH RECURSIVE names (name) AS (SELECT MIN(chain) FROM audit"
                          + " UNION ALL SELECT (SELECT MIN(chain) FROM audit WHERE chain > name)"
                          + " FROM names WHERE name IS NOT NULL)"
                          + " SELECT name FROM names WHERE name IS NOT NULL")
                  .executeQuery()) {
            while (rs.next()) {
              chains.add(rs.getString(1));
            }
          }
          return chains;
        });
  }

  @Override
  public int purgeBefore(Instant cutoff, int max) {
    return writer.execute(
        "purge audit records",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "DELETE FROM audit WHERE rowid IN (SELECT rowid FROM audit WHERE at < ?"
                      + " ORDER BY at, chain, idx LIMIT ?)");
          ps.setLong(1, cutoff.toEpochMilli());
          ps.setInt(2, max);
          return ps.executeUpdate();
        });
  }

  private List<AuditRecord> list(String operation, String sql, List<Object> args) {
    return readers.read(
        operation,
        c -> {
          PreparedStatement ps = Sql.bind(c.prepare(sql), args);
          List<AuditRecord> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              try {
                out.add(read(rs));
              } catch (IllegalArgumentException e) {
                // Edited in the file: left out, so that verifying its chain finds the gap.
                LOG.warn(
                    "the audit record {}#{} cannot be read and is left out: {}",
                    rs.getString(1),
                    rs.getLong(2),
                    e.toString());
              }
            }
          }
          return out;
        });
  }

  private static AuditRecord read(ResultSet rs) throws SQLException {
    return new AuditRecord(
        rs.getString(1),
        rs.getLong(2),
        Instant.ofEpochMilli(rs.getLong(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getInt(8),
        AuditOutcome.valueOf(rs.getString(9).toUpperCase(Locale.ROOT)),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12));
  }
}
