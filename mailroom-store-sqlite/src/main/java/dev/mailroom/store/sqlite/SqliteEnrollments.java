package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Enrollment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The enrollments of {@link SqliteAgentStore}: rows of {@code enrollments}, times in epoch
 * milliseconds, roles comma-separated as an agent's. A registration is one writer task that checks
 * the row, inserts the agent and decrements {@code remaining}: tasks run one at a time, so
 * concurrent registrations cannot use more than the enrollment has, and one that fails (its id
 * taken) rolls back to its savepoint and uses nothing. Thread-safe.
 */
final class SqliteEnrollments {
  private static final String COLUMNS =
      "id, roles, uses, remaining, created_at, expires_at, id_prefix, issuer";

  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqliteEnrollments(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  void create(Enrollment e, String hash) {
    Objects.requireNonNull(hash, "hash");
    writer.execute(
        "create enrollment",
        s -> {
          PreparedStatement taken = s.prepare("SELECT 1 FROM enrollments WHERE id = ? OR hash = ?");
          taken.setString(1, e.id());
          taken.setString(2, hash);
          try (ResultSet rs = taken.executeQuery()) {
            if (rs.next()) {
              throw new MailroomException.Conflict("enrollment " + e.id() + " exists");
            }
          }
          PreparedStatement ps =
              s.prepare(
                  "INSERT INTO enrollments (hash, "
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
          ps.setString(1, hash);
          ps.setString(2, e.id());
          ps.setString(3, SqliteAgentStore.encodeRoles(e.roles()));
          ps.setInt(4, e.uses());
          ps.setInt(5, e.remaining());
          ps.setLong(6, e.createdAt().toEpochMilli());
          ps.setLong(7, e.expiresAt().toEpochMilli());
          ps.setString(8, e.idPrefix().orElse(null));
          ps.setString(9, e.issuer().value());
          ps.executeUpdate();
          return null;
        });
  }

  Optional<Enrollment> find(String hash) {
    return readers.read(
        "find enrollment",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT " + COLUMNS + " FROM enrollments WHERE hash = ?");
          ps.setString(1, hash);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
          }
        });
  }

  List<Enrollment> list() {
    return readers.read(
        "list enrollments",
        c -> {
          List<Enrollment> all = new ArrayList<>();
          try (ResultSet rs =
              c.prepare("SELECT " + COLUMNS + " FROM enrollments ORDER BY id").executeQuery()) {
            while (rs.next()) {
              all.add(read(rs));
            }
          }
          return all;
        });
  }

  boolean delete(String id) {
    return writer.execute(
        "delete enrollment",
        s -> {
          PreparedStatement ps = s.prepare("DELETE FROM enrollments WHERE id = ?");
          ps.setString(1, id);
          return ps.executeUpdate() > 0;
        });
  }

  Enrollment.Outcome enroll(String hash, AgentRecord agent, String tokenHash, Instant now) {
    return writer.execute(
        "enroll agent",
        s -> {
          PreparedStatement ps =
              s.prepare("SELECT remaining, expires_at FROM enrollments WHERE hash = ?");
          ps.setString(1, hash);
          int remaining;
          long expiresAt;
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return new Enrollment.Outcome.Refused(Enrollment.Reason.UNKNOWN);
            }
            remaining = rs.getInt(1);
            expiresAt = rs.getLong(2);
          }
          if (now.toEpochMilli() >= expiresAt) {
            return new Enrollment.Outcome.Refused(Enrollment.Reason.EXPIRED);
          }
          if (remaining <= 0) {
            return new Enrollment.Outcome.Refused(Enrollment.Reason.USED_UP);
          }
          SqliteAgentStore.insert(s, agent, tokenHash);
          PreparedStatement use =
              s.prepare("UPDATE enrollments SET remaining = remaining - 1 WHERE hash = ?");
          use.setString(1, hash);
          use.executeUpdate();
          return new Enrollment.Outcome.Enrolled();
        });
  }

  private static Enrollment read(ResultSet rs) throws SQLException {
    return new Enrollment(
        rs.getString(1),
        SqliteAgentStore.decodeRoles(rs.getString(2)),
        rs.getInt(3),
        rs.getInt(4),
        Instant.ofEpochMilli(rs.getLong(5)),
        Instant.ofEpochMilli(rs.getLong(6)),
        Optional.ofNullable(rs.getString(7)),
        AgentId.of(rs.getString(8)));
  }
}
