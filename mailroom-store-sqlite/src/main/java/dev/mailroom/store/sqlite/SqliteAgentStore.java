package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.Tag;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.ConsoleSession;
import dev.mailroom.core.spi.Enrollment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The SQLite {@link AgentStore}. Creating an agent and its personal mailbox is one writer task, so
 * both exist or neither does. Roles are stored comma-separated (a role name cannot hold a comma); a
 * revoked token leaves {@code token_hash} null; {@code token_expires_at} is epoch milliseconds,
 * null for never. The profile is five columns, its tags space-separated (a tag holds no space);
 * enrollments are {@link SqliteEnrollments}'. Console sessions are rows of {@code
 * console_sessions}, their times in epoch milliseconds, written through the same writer. Deleting
 * an agent is one writer task ({@link #delete}), so it is all done or not at all. Thread-safe.
 */
final class SqliteAgentStore implements AgentStore {
  private static final String COLUMNS =
      "id, roles, created_at, token_expires_at, display_name, description, program, model, tags,"
          + " retired_at";
  private static final String SESSION_COLUMNS = "hash, agent, token_hash, created_at, expires_at";

  private final GroupCommitWriter writer;
  private final ReadPool readers;
  private final SqliteEnrollments enrollments;
  private final SqlitePresence presence;

  SqliteAgentStore(GroupCommitWriter writer, ReadPool readers, SqlitePresence presence) {
    this.writer = writer;
    this.readers = readers;
    this.presence = presence;
    this.enrollments = new SqliteEnrollments(writer, readers);
  }

  @Override
  public void create(AgentRecord agent, String tokenHash) {
    writer.execute(
        "create agent",
        s -> {
          insert(s, agent, tokenHash);
          return null;
        });
  }

  /**
   * Inserts the agent and its mailbox in the writer's session {@code s}; enrolling calls it too.
   *
   * @throws MailroomException.Conflict if the id or the token is taken
   */
  static void insert(WriteSession s, AgentRecord agent, String tokenHash) throws SQLException {
    String id = agent.id().value();
    if (exists(s.prepare("SELECT 1 FROM agents WHERE id = ?"), id)) {
      throw new MailroomException.Conflict("agent " + id + " already exists");
    }
    PreparedStatement box = s.prepare("SELECT kind FROM mailboxes WHERE name = ?");
    box.setString(1, id);
    try (ResultSet rs = box.executeQuery()) {
      if (rs.next()) {
        throw new MailroomException.Conflict(
            "the name "
                + id
                + " is taken by a "
                + MailboxKind.valueOf(rs.getString(1)).wireName()
                + " mailbox");
      }
    }
    if (exists(s.prepare("SELECT 1 FROM agents WHERE token_hash = ?"), tokenHash)) {
      throw new MailroomException.Conflict("that token is already in use");
    }
    long created = agent.createdAt().toEpochMilli();
    PreparedStatement insert =
        s.prepare(
            "INSERT INTO agents (id, roles, token_hash, created_at, token_expires_at,"
                + " display_name, description, program, model, tags, retired_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.setString(1, id);
    insert.setString(2, encodeRoles(agent.roles()));
    insert.setString(3, tokenHash);
    insert.setLong(4, created);
    setExpiry(insert, 5, agent.tokenExpiresAt());
    setProfile(insert, 6, agent.profile());
    setExpiry(insert, 11, agent.retiredAt());
    insert.executeUpdate();
    PreparedStatement mailbox =
        s.prepare(
            "INSERT INTO mailboxes (name, kind, size, dropped, created_at)"
                + " VALUES (?, ?, 0, 0, ?)");
    mailbox.setString(1, id);
    mailbox.setString(2, MailboxKind.AGENT.name());
    mailbox.setLong(3, created);
    mailbox.executeUpdate();
    s.changed(l -> l.agentChanged(agent.id()));
  }

  /** Sets the profile's five columns, from {@code index} on. */
  private static void setProfile(PreparedStatement ps, int index, AgentProfile p)
      throws SQLException {
    ps.setString(index, p.displayName().orElse(null));
    ps.setString(index + 1, p.description().orElse(null));
    ps.setString(index + 2, p.program().orElse(null));
    ps.setString(index + 3, p.model().orElse(null));
    ps.setString(index + 4, String.join(" ", p.tags().stream().map(Tag::value).toList()));
  }

  private static boolean exists(PreparedStatement ps, String value) throws SQLException {
    ps.setString(1, value);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  @Override
  public boolean replaceToken(AgentId id, String tokenHash, Optional<Instant> expiresAt) {
    return writer.execute(
        "replace token",
        s -> {
          PreparedStatement taken =
              s.prepare("SELECT 1 FROM agents WHERE token_hash = ? AND id <> ?");
          taken.setString(1, tokenHash);
          taken.setString(2, id.value());
          try (ResultSet rs = taken.executeQuery()) {
            if (rs.next()) {
              throw new MailroomException.Conflict("that token is already in use");
            }
          }
          PreparedStatement ps =
              s.prepare("UPDATE agents SET token_hash = ?, token_expires_at = ? WHERE id = ?");
          ps.setString(1, tokenHash);
          setExpiry(ps, 2, expiresAt);
          ps.setString(3, id.value());
          return changed(s, id, ps.executeUpdate() > 0);
        });
  }

  @Override
  public boolean revokeToken(AgentId id) {
    return update("revoke token", "UPDATE agents SET token_hash = NULL WHERE id = ?", id);
  }

  @Override
  public boolean updateProfile(AgentId id, AgentProfile profile) {
    return writer.execute(
        "update profile",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE agents SET display_name = ?, description = ?, program = ?, model = ?,"
                      + " tags = ? WHERE id = ?");
          setProfile(ps, 1, profile);
          ps.setString(6, id.value());
          return changed(s, id, ps.executeUpdate() > 0);
        });
  }

  @Override
  public boolean retire(AgentId id, Instant at) {
    return writer.execute(
        "retire agent",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE agents SET token_hash = NULL, retired_at = coalesce(retired_at, ?)"
                      + " WHERE id = ?");
          ps.setLong(1, at.toEpochMilli());
          ps.setString(2, id.value());
          return changed(s, id, ps.executeUpdate() > 0);
        });
  }

  /**
   * One writer task: the agent's row (its token, profile and last-seen time), its subscriptions (as
   * {@link DeliveryWrites#deleteSubscription} deletes each), its fan-out rows and sources, its
   * mailbox and entries (each releasing its message, which goes with its last reference), its read
   * marks, console sessions, reservations and idempotency keys; the topics it created count for
   * nobody. The queue counts lose the pending deliveries that went.
   */
  @Override
  public boolean delete(AgentId id) {
    boolean deleted =
        writer.execute(
            "delete agent",
            s -> {
              String agent = id.value();
              if (!run(s, "DELETE FROM agents WHERE id = ?", agent)) {
                return false;
              }
              PreparedStatement subs = s.prepare("SELECT id FROM subscriptions WHERE agent = ?");
              subs.setString(1, agent);
              List<String> its = new ArrayList<>();
              try (ResultSet rs = subs.executeQuery()) {
                while (rs.next()) {
                  its.add(rs.getString(1));
                }
              }
              for (String sub : its) {
                DeliveryWrites.deleteSubscription(s, SubscriptionId.of(sub));
              }
              release(s, "DELETE FROM fanout WHERE agent = ?", agent);
              s.sources().deleteAgent(s, agent);
              release(s, "DELETE FROM entries WHERE mailbox = ?", agent);
              run(s, "DELETE FROM mailboxes WHERE name = ? AND kind = 'AGENT'", agent);
              run(s, "DELETE FROM read_state WHERE reader = ?", agent);
              run(s, "DELETE FROM console_sessions WHERE agent = ?", agent);
              run(s, "DELETE FROM reservations WHERE holder = ?", agent);
              run(s, "DELETE FROM idempotency WHERE sender = ?", agent);
              run(s, "UPDATE mailboxes SET creator = NULL WHERE creator = ?", agent);
              s.changed(l -> l.agentChanged(id));
              return true;
            });
    if (deleted) {
      presence.forget(id);
    }
    return deleted;
  }

  /** Runs a statement whose one parameter is {@code value}; returns whether it changed a row. */
  private static boolean run(WriteSession s, String sql, String value) throws SQLException {
    PreparedStatement ps = s.prepare(sql);
    ps.setString(1, value);
    return ps.executeUpdate() > 0;
  }

  /**
   * Deletes delivery rows (of {@code entries} or {@code fanout}) with {@code delete}, whose one
   * parameter is {@code value}: each releases its message, and each pending one leaves its queue.
   */
  private static void release(WriteSession s, String delete, String value) throws SQLException {
    PreparedStatement ps = s.prepare(delete + " RETURNING id, state, subscription");
    ps.setString(1, value);
    List<Long> ids = new ArrayList<>();
    Map<String, Long> unqueued = new HashMap<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
        if (rs.getInt(2) == DeliveryState.PENDING) {
          unqueued.merge(Queues.key(rs.getString(3)), 1L, Long::sum);
        }
      }
    }
    Queues.remove(s, unqueued);
    for (long id : ids) {
      MessageWrites.release(s, id, 1);
    }
  }

  @Override
  public void createEnrollment(Enrollment enrollment, String hash) {
    enrollments.create(enrollment, hash);
  }

  @Override
  public Optional<Enrollment> findEnrollment(String hash) {
    return enrollments.find(hash);
  }

  @Override
  public List<Enrollment> enrollments() {
    return enrollments.list();
  }

  @Override
  public boolean deleteEnrollment(String id) {
    return enrollments.delete(id);
  }

  @Override
  public Enrollment.Outcome enroll(
      String enrollmentHash, AgentRecord agent, String tokenHash, Instant now) {
    return enrollments.enroll(enrollmentHash, agent, tokenHash, now);
  }

  @Override
  public boolean replaceRoles(AgentId id, Set<Role> roles) {
    return update(
        "replace roles", "UPDATE agents SET roles = ? WHERE id = ?", id, encodeRoles(roles));
  }

  /**
   * Runs an update of one agent's row whose parameters are {@code values}, then the id.
   *
   * @return false if there is no such agent
   */
  private boolean update(String operation, String sql, AgentId id, String... values) {
    return writer.execute(
        operation,
        s -> {
          PreparedStatement ps = s.prepare(sql);
          for (int i = 0; i < values.length; i++) {
            ps.setString(i + 1, values[i]);
          }
          ps.setString(values.length + 1, id.value());
          return changed(s, id, ps.executeUpdate() > 0);
        });
  }

  /** Tells the listener that the agent changed, if it did; returns whether it did. */
  private static boolean changed(WriteSession s, AgentId id, boolean changed) {
    if (changed) {
      s.changed(l -> l.agentChanged(id));
    }
    return changed;
  }

  static void setExpiry(PreparedStatement ps, int index, Optional<Instant> expiresAt)
      throws SQLException {
    if (expiresAt.isPresent()) {
      ps.setLong(index, expiresAt.get().toEpochMilli());
    } else {
      ps.setNull(index, Types.INTEGER);
    }
  }

  @Override
  public Optional<AgentRecord> find(AgentId id) {
    return one("find agent", "SELECT " + COLUMNS + " FROM agents WHERE id = ?", id.value());
  }

  @Override
  public Optional<AgentRecord> findByTokenHash(String tokenHash) {
    return one(
        "find agent by token",
        "SELECT " + COLUMNS + " FROM agents WHERE token_hash = ?",
        tokenHash);
  }

  private Optional<AgentRecord> one(String operation, String sql, String value) {
    return readers.read(
        operation,
        c -> {
          PreparedStatement ps = c.prepare(sql);
          ps.setString(1, value);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public List<AgentRecord> list(Optional<AgentId> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    return readers.read(
        "list agents",
        c -> {
          // Ids are ASCII and compared as bytes, so every id sorts above "".
          PreparedStatement ps =
              c.prepare("SELECT " + COLUMNS + " FROM agents WHERE id > ? ORDER BY id LIMIT ?");
          ps.setString(1, after.map(AgentId::value).orElse(""));
          ps.setInt(2, limit);
          List<AgentRecord> agents = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              agents.add(read(rs));
            }
          }
          return agents;
        });
  }

  private static AgentRecord read(ResultSet rs) throws SQLException {
    Optional<Instant> expiry = instant(rs, 4);
    String tags = rs.getString(9);
    AgentProfile profile =
        new AgentProfile(
            Optional.ofNullable(rs.getString(5)),
            Optional.ofNullable(rs.getString(6)),
            Optional.ofNullable(rs.getString(7)),
            Optional.ofNullable(rs.getString(8)),
            tags.isEmpty() ? List.of() : Arrays.stream(tags.split(" ")).map(Tag::of).toList());
    return new AgentRecord(
        AgentId.of(rs.getString(1)),
        decodeRoles(rs.getString(2)),
        Instant.ofEpochMilli(rs.getLong(3)),
        expiry,
        profile,
        instant(rs, 10));
  }

  /** The epoch milliseconds in column {@code index}, empty when null. */
  static Optional<Instant> instant(ResultSet rs, int index) throws SQLException {
    long millis = rs.getLong(index);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  @Override
  public void createSession(ConsoleSession session) {
    Objects.requireNonNull(session, "session");
    writer.execute(
        "create console session",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "INSERT OR REPLACE INTO console_sessions ("
                      + SESSION_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?)");
          ps.setString(1, session.hash());
          ps.setString(2, session.agent().value());
          ps.setString(3, session.tokenHash());
          ps.setLong(4, session.createdAt().toEpochMilli());
          ps.setLong(5, session.expiresAt().toEpochMilli());
          ps.executeUpdate();
          return null;
        });
  }

  @Override
  public Optional<ConsoleSession> findSession(String hash, Instant now) {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(now, "now");
    return readers.read(
        "find console session",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT "
                      + SESSION_COLUMNS
                      + " FROM console_sessions WHERE hash = ? AND expires_at > ?");
          ps.setString(1, hash);
          ps.setLong(2, now.toEpochMilli());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new ConsoleSession(
                    rs.getString(1),
                    AgentId.of(rs.getString(2)),
                    rs.getString(3),
                    Instant.ofEpochMilli(rs.getLong(4)),
                    Instant.ofEpochMilli(rs.getLong(5))));
          }
        });
  }

  @Override
  public boolean deleteSession(String hash) {
    Objects.requireNonNull(hash, "hash");
    return writer.execute(
        "delete console session",
        s -> {
          PreparedStatement ps = s.prepare("DELETE FROM console_sessions WHERE hash = ?");
          ps.setString(1, hash);
          return ps.executeUpdate() > 0;
        });
  }

  @Override
  public int deleteExpiredSessions(Instant now) {
    Objects.requireNonNull(now, "now");
    return writer.execute(
        "delete expired console sessions", s -> deleteExpiredSessions(s, now, Integer.MAX_VALUE));
  }

  /**
   * Deletes up to {@code max} of the console sessions expired at {@code now}, in the writer's
   * session {@code s}; the cleaner's pass calls it too.
   *
   * @return how many it deleted
   */
  static int deleteExpiredSessions(WriteSession s, Instant now, int max) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "DELETE FROM console_sessions WHERE hash IN"
                + " (SELECT hash FROM console_sessions WHERE expires_at <= ? LIMIT ?)");
    ps.setLong(1, now.toEpochMilli());
    ps.setInt(2, max);
    return ps.executeUpdate();
  }

  static String encodeRoles(Set<Role> roles) {
    return String.join(",", roles.stream().map(Role::name).sorted().toList());
  }

  static Set<Role> decodeRoles(String text) {
    Set<Role> roles = new HashSet<>();
    if (!text.isEmpty()) {
      for (String r : text.split(",")) {
        roles.add(Role.of(r));
      }
    }
    return roles;
  }
}
