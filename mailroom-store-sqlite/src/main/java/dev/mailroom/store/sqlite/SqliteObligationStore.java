package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.ReceiptMark;
import dev.mailroom.core.receipt.ReceiptTimes;
import dev.mailroom.core.spi.ObligationStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SQLite {@link ObligationStore}: rows of {@code obligations} and {@code receipt_marks} (see
 * {@link Schema}, version 10). Every write is one writer task, and the single writer runs tasks one
 * at a time, so a conditional update ({@code WHERE met_at IS NULL}, {@code WHERE noticed_at IS
 * NULL}) is the atomic first-one-wins step the contract asks for. Thread-safe.
 */
final class SqliteObligationStore implements ObligationStore {
  private static final String COLUMNS =
      "id, sender, target, kind, thread_id, ack_required, reply_by, expires_at, met_by,"
          + " met_means, met_at, reply_id, noticed_at";
  private static final String MET = "met_at IS NOT NULL";
  private static final String OVERDUE =
      "(met_at IS NULL AND reply_by IS NOT NULL AND reply_by <= ?)";
  private static final String OPEN = "(met_at IS NULL AND (reply_by IS NULL OR reply_by > ?))";

  /** How many ids one {@link #findAll} query names, well under SQLite's limit of parameters. */
  private static final int MAX_IDS_PER_QUERY = 500;

  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqliteObligationStore(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public boolean open(Obligation o) {
    Objects.requireNonNull(o, "obligation");
    return writer.execute("open obligation", s -> insert(s, o));
  }

  /**
   * Inserts an obligation unless its message has one: within a writer task, so that a send stores
   * its message's obligation in its own transaction ({@link MessageWrites}).
   *
   * @return whether it was stored
   */
  static boolean insert(WriteSession s, Obligation o) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO obligations ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (id) DO NOTHING");
    ps.setLong(1, o.message().value());
    ps.setString(2, o.sender().value());
    ps.setString(3, o.target().value());
    ps.setString(4, o.kind().name());
    ps.setString(5, o.thread().value());
    ps.setInt(6, o.ackRequired() ? 1 : 0);
    setInstant(ps, 7, o.replyBy());
    ps.setLong(8, o.expiresAt().toEpochMilli());
    ps.setString(9, o.met().map(f -> f.by().value()).orElse(null));
    ps.setString(10, o.met().map(f -> f.means().name()).orElse(null));
    setInstant(ps, 11, o.met().map(Obligation.Fulfilment::at));
    if (o.met().flatMap(Obligation.Fulfilment::reply).isPresent()) {
      ps.setLong(12, o.met().get().reply().get().value());
    } else {
      ps.setNull(12, Types.INTEGER);
    }
    setInstant(ps, 13, o.noticedAt());
    return ps.executeUpdate() == 1;
  }

  @Override
  public Optional<Obligation> find(MessageId message) {
    return readers.read(
        "find obligation",
        c -> {
          PreparedStatement ps = c.prepare("SELECT " + COLUMNS + " FROM obligations WHERE id = ?");
          ps.setLong(1, message.value());
          return rows(ps).stream().findFirst();
        });
  }

  @Override
  public List<Obligation> findAll(List<MessageId> messages) {
    if (messages.isEmpty()) {
      return List.of();
    }
    List<Obligation> out = new ArrayList<>();
    for (int from = 0; from < messages.size(); from += MAX_IDS_PER_QUERY) {
      List<MessageId> chunk =
          messages.subList(from, Math.min(messages.size(), from + MAX_IDS_PER_QUERY));
      out.addAll(
          readers.read(
              "find obligations",
              c -> {
                PreparedStatement ps =
                    c.prepare(
                        "SELECT "
                            + COLUMNS
                            + " FROM obligations WHERE id IN ("
                            + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))
                            + ")");
                for (int i = 0; i < chunk.size(); i++) {
                  ps.setLong(i + 1, chunk.get(i).value());
                }
                return rows(ps);
              }));
    }
    return out;
  }

  @Override
  public List<Obligation> list(
      Party party,
      Set<Obligation.State> states,
      Instant now,
      Optional<MessageId> before,
      int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    if (states.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM obligations WHERE ");
    String value;
    switch (party) {
      case Party.Sender s -> {
        sql.append("sender = ?");
        value = s.agent().value();
      }
      case Party.Target t -> {
        sql.append("target = ?");
        value = t.mailbox().value();
      }
    }
    before.ifPresent(b -> sql.append(" AND id < ?"));
    List<String> ors = new ArrayList<>();
    int times = 0;
    for (Obligation.State state : Obligation.State.values()) {
      if (states.contains(state)) {
        switch (state) {
          case MET -> ors.add(MET);
          case OVERDUE -> {
            ors.add(OVERDUE);
            times++;
          }
          case OPEN -> {
            ors.add(OPEN);
            times++;
          }
        }
      }
    }
    if (states.size() < Obligation.State.values().length) {
      sql.append(" AND (").append(String.join(" OR ", ors)).append(')');
    } else {
      times = 0;
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    int nowParameters = times;
    return readers.read(
        "list obligations",
        c -> {
          PreparedStatement ps = c.prepare(sql.toString());
          int i = 1;
          ps.setString(i++, value);
          if (before.isPresent()) {
            ps.setLong(i++, before.get().value());
          }
          for (int t = 0; t < nowParameters; t++) {
            ps.setLong(i++, now.toEpochMilli());
          }
          ps.setInt(i, limit);
          return rows(ps);
        });
  }

  @Override
  public List<Obligation> unmet(ThreadId thread, int limit) {
    return readers.read(
        "unmet obligations",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT "
                      + COLUMNS
                      + " FROM obligations WHERE thread_id = ? AND met_at IS NULL"
                      + " ORDER BY id LIMIT ?");
          ps.setString(1, thread.value());
          ps.setInt(2, limit);
          return rows(ps);
        });
  }

  @Override
  public Optional<Obligation> meet(MessageId message, Obligation.Fulfilment f) {
    return writer.execute(
        "meet obligation",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE obligations SET met_by = ?, met_means = ?, met_at = ?, reply_id = ?"
                      + " WHERE id = ? AND met_at IS NULL");
          ps.setString(1, f.by().value());
          ps.setString(2, f.means().name());
          ps.setLong(3, f.at().toEpochMilli());
          if (f.reply().isPresent()) {
            ps.setLong(4, f.reply().get().value());
          } else {
            ps.setNull(4, Types.INTEGER);
          }
          ps.setLong(5, message.value());
          ps.executeUpdate();
          PreparedStatement read =
              s.prepare("SELECT " + COLUMNS + " FROM obligations WHERE id = ?");
          read.setLong(1, message.value());
          return rows(read).stream().findFirst();
        });
  }

  @Override
  public List<Obligation> due(Instant now, int limit) {
    return readers.read(
        "due obligations",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT "
                      + COLUMNS
                      + " FROM obligations WHERE met_at IS NULL AND noticed_at IS NULL"
                      + " AND reply_by IS NOT NULL AND reply_by <= ? ORDER BY reply_by, id LIMIT ?");
          ps.setLong(1, now.toEpochMilli());
          ps.setInt(2, limit);
          return rows(ps);
        });
  }

  @Override
  public boolean noticed(MessageId message, Instant at) {
    return writer.execute(
        "obligation noticed",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE obligations SET noticed_at = ? WHERE id = ? AND noticed_at IS NULL");
          ps.setLong(1, at.toEpochMilli());
          ps.setLong(2, message.value());
          return ps.executeUpdate() == 1;
        });
  }

  @Override
  public void record(List<ReceiptMark> marks) {
    if (marks.isEmpty()) {
      return;
    }
    writer.execute(
        "record receipt marks",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "INSERT INTO receipt_marks (id, agent, delivered_at, acked_at, expires_at)"
                      + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id, agent) DO UPDATE SET"
                      + " delivered_at = coalesce(delivered_at, excluded.delivered_at),"
                      + " acked_at = coalesce(acked_at, excluded.acked_at)"
                      + " WHERE (delivered_at IS NULL AND excluded.delivered_at IS NOT NULL)"
                      + " OR (acked_at IS NULL AND excluded.acked_at IS NOT NULL)");
          for (ReceiptMark m : marks) {
            ps.setLong(1, m.message().value());
            ps.setString(2, m.agent().value());
            Optional<Instant> at = Optional.of(m.at());
            setInstant(ps, 3, m.kind() == ReceiptMark.Kind.DELIVERED ? at : Optional.empty());
            setInstant(ps, 4, m.kind() == ReceiptMark.Kind.ACKNOWLEDGED ? at : Optional.empty());
            ps.setLong(5, m.expiresAt().toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public List<ReceiptTimes> marks(MessageId message, Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return readers.read(
        "receipt marks",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT agent, delivered_at, acked_at FROM receipt_marks WHERE id = ?"
                      + (after.isPresent() ? " AND agent > ?" : "")
                      + " ORDER BY agent LIMIT ?");
          int i = 1;
          ps.setLong(i++, message.value());
          if (after.isPresent()) {
            ps.setString(i++, after.get().value());
          }
          ps.setInt(i, limit);
          List<ReceiptTimes> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new ReceiptTimes(AgentId.of(rs.getString(1)), instant(rs, 2), instant(rs, 3)));
            }
          }
          return out;
        });
  }

  @Override
  public int purgeExpired(Instant now, int maxRows) {
    return writer.executeInBackground(
        "purge obligations",
        s -> {
          int removed = 0;
          for (String[] table :
              List.of(
                  new String[] {"obligations", "id"},
                  new String[] {"receipt_marks", "(id, agent)"})) {
            PreparedStatement ps =
                s.prepare(
                    "DELETE FROM "
                        + table[0]
                        + " WHERE "
                        + table[1]
                        + " IN (SELECT "
                        + table[1].replaceAll("[()]", "")
                        + " FROM "
                        + table[0]
                        + " WHERE expires_at <= ? LIMIT ?)");
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, maxRows);
            removed += ps.executeUpdate();
          }
          return removed;
        });
  }

  private static void setInstant(PreparedStatement ps, int i, Optional<Instant> at)
      throws SQLException {
    if (at.isPresent()) {
      ps.setLong(i, at.get().toEpochMilli());
    } else {
      ps.setNull(i, Types.INTEGER);
    }
  }

  private static Optional<Instant> instant(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
  }

  private static List<Obligation> rows(PreparedStatement ps) throws SQLException {
    List<Obligation> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Optional<Obligation.Fulfilment> met = Optional.empty();
        Optional<Instant> metAt = instant(rs, 11);
        if (metAt.isPresent()) {
          long reply = rs.getLong(12);
          Optional<MessageId> replyId =
              rs.wasNull() ? Optional.empty() : Optional.of(MessageId.of(reply));
          met =
              Optional.of(
                  new Obligation.Fulfilment(
                      AgentId.of(rs.getString(9)),
                      Obligation.Means.valueOf(rs.getString(10)),
                      metAt.get(),
                      replyId));
        }
        out.add(
            new Obligation(
                MessageId.of(rs.getLong(1)),
                AgentId.of(rs.getString(2)),
                MailboxName.of(rs.getString(3)),
                MailboxKind.valueOf(rs.getString(4)),
                ThreadId.of(rs.getString(5)),
                rs.getInt(6) == 1,
                instant(rs, 7),
                Instant.ofEpochMilli(rs.getLong(8)),
                met,
                instant(rs, 13)));
      }
    }
    return out;
  }
}
