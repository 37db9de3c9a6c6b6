package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.reservation.PathPattern;
import dev.mailroom.core.reservation.ProjectName;
import dev.mailroom.core.reservation.Reservation;
import dev.mailroom.core.spi.ReservationStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SQLite {@link ReservationStore}: rows of {@code reservations} (see {@link Schema}, version
 * 8). Reserving is one writer task: it reads the project's live rows and inserts only when none
 * conflicts, and the single writer runs tasks one at a time, so the check and the insert are
 * atomic. Reads filter on {@code expires_at}, so an expired row is invisible before any purge.
 * Thread-safe.
 */
final class SqliteReservationStore implements ReservationStore {
  private static final String COLUMNS =
      "id, project, holder, patterns, exclusive, reason, created_at, expires_at";

  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqliteReservationStore(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public Outcome reserve(Reservation wanted, Instant now) {
    Objects.requireNonNull(wanted, "wanted");
    return writer.execute(
        "reserve",
        s -> {
          PreparedStatement select =
              s.prepare(
                  "SELECT " + COLUMNS + " FROM reservations WHERE project = ? AND expires_at > ?");
          select.setString(1, wanted.project().value());
          select.setLong(2, now.toEpochMilli());
          List<Reservation> conflicts = Reservation.conflicts(wanted, rows(select), now);
          if (!conflicts.isEmpty()) {
            return new Outcome.Refused(conflicts);
          }
          PreparedStatement insert =
              s.prepare(
                  "INSERT INTO reservations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
          insert.setString(1, wanted.id());
          insert.setString(2, wanted.project().value());
          insert.setString(3, wanted.holder().value());
          insert.setString(
              4, String.join("\n", wanted.patterns().stream().map(PathPattern::value).toList()));
          insert.setInt(5, wanted.mode().exclusive() ? 1 : 0);
          insert.setString(6, wanted.reason());
          insert.setLong(7, wanted.createdAt().toEpochMilli());
          insert.setLong(8, wanted.expiresAt().toEpochMilli());
          insert.executeUpdate();
          return new Outcome.Granted(wanted);
        });
  }

  @Override
  public Optional<Reservation> find(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    return readers.read(
        "find reservation",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT " + COLUMNS + " FROM reservations WHERE id = ? AND expires_at > ?");
          ps.setString(1, id);
          ps.setLong(2, now.toEpochMilli());
          return rows(ps).stream().findFirst();
        });
  }

  @Override
  public Optional<Reservation> renew(String id, Instant newExpiry, Instant now) {
    Objects.requireNonNull(id, "id");
    return writer.execute(
        "renew reservation",
        s -> {
          PreparedStatement ps =
              s.prepare("UPDATE reservations SET expires_at = ? WHERE id = ? AND expires_at > ?");
          ps.setLong(1, newExpiry.toEpochMilli());
          ps.setString(2, id);
          ps.setLong(3, now.toEpochMilli());
          if (ps.executeUpdate() == 0) {
            return Optional.empty();
          }
          PreparedStatement read =
              s.prepare("SELECT " + COLUMNS + " FROM reservations WHERE id = ?");
          read.setString(1, id);
          return rows(read).stream().findFirst();
        });
  }

  @Override
  public boolean release(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    return writer.execute(
        "release reservation",
        s -> {
          PreparedStatement ps =
              s.prepare("DELETE FROM reservations WHERE id = ? RETURNING expires_at");
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getLong(1) > now.toEpochMilli();
          }
        });
  }

  @Override
  public List<Reservation> list(
      Optional<ProjectName> project,
      Optional<AgentId> holder,
      Optional<String> after,
      int limit,
      Instant now) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM reservations WHERE expires_at > ?");
    project.ifPresent(p -> sql.append(" AND project = ?"));
    holder.ifPresent(h -> sql.append(" AND holder = ?"));
    after.ifPresent(a -> sql.append(" AND id > ?"));
    sql.append(" ORDER BY id LIMIT ?");
    return readers.read(
        "list reservations",
        c -> {
          PreparedStatement ps = c.prepare(sql.toString());
          int i = 1;
          ps.setLong(i++, now.toEpochMilli());
          if (project.isPresent()) {
            ps.setString(i++, project.get().value());
          }
          if (holder.isPresent()) {
            ps.setString(i++, holder.get().value());
          }
          if (after.isPresent()) {
            ps.setString(i++, after.get());
          }
          ps.setInt(i, limit);
          return rows(ps);
        });
  }

  @Override
  public List<Reservation> live(ProjectName project, Instant now) {
    return list(Optional.of(project), Optional.empty(), Optional.empty(), Integer.MAX_VALUE, now);
  }

  @Override
  public int purgeExpired(Instant now) {
    return writer.executeInBackground(
        "purge reservations",
        s -> {
          PreparedStatement ps = s.prepare("DELETE FROM reservations WHERE expires_at <= ?");
          ps.setLong(1, now.toEpochMilli());
          return ps.executeUpdate();
        });
  }

  private static List<Reservation> rows(PreparedStatement ps) throws SQLException {
    List<Reservation> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Reservation(
                rs.getString(1),
                ProjectName.of(rs.getString(2)),
                AgentId.of(rs.getString(3)),
                Arrays.stream(rs.getString(4).split("\n")).map(PathPattern::new).toList(),
                rs.getInt(5) == 1 ? Reservation.Mode.EXCLUSIVE : Reservation.Mode.SHARED,
                rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8))));
      }
    }
    return out;
  }
}
