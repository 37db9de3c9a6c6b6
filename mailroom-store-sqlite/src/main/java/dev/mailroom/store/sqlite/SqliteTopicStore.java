package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import dev.mailroom.core.spi.TopicStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The SQLite {@link TopicStore}. Configurations are rows of {@code topics} (durations as ISO-8601
 * text); statistics are columns of the topic's mailbox row, which every send to it updates anyway
 * (see {@link Schema}). Thread-safe.
 */
final class SqliteTopicStore implements TopicStore {
  private static final String TOPIC = MailboxKind.TOPIC.name();
  private static final String CONFIG_COLUMNS =
      "name, description, retention, max_subscribers, cleanup_after";
  private static final String STATS_COLUMNS =
      "name, total, last_message_at, peak_subscribers, created_at";

  private final GroupCommitWriter writer;
  private final ReadPool readers;

  SqliteTopicStore(GroupCommitWriter writer, ReadPool readers) {
    this.writer = writer;
    this.readers = readers;
  }

  @Override
  public void configure(TopicConfig config, boolean mailbox) {
    writer.execute(
        "configure topic",
        s -> {
          if (mailbox && !isTopic(s, config.name())) {
            insertTopic(s, config.name(), Optional.empty());
          }
          PreparedStatement ps =
              s.prepare(
                  "INSERT INTO topics ("
                      + CONFIG_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                      + " description = excluded.description, retention = excluded.retention,"
                      + " max_subscribers = excluded.max_subscribers,"
                      + " cleanup_after = excluded.cleanup_after");
          ps.setString(1, config.name().value());
          setText(ps, 2, config.description());
          setText(ps, 3, config.retention().map(Duration::toString));
          if (config.maxSubscribers().isPresent()) {
            ps.setInt(4, config.maxSubscribers().getAsInt());
          } else {
            ps.setNull(4, Types.INTEGER);
          }
          setText(ps, 5, config.cleanupAfter().map(Duration::toString));
          ps.executeUpdate();
          s.changed(l -> l.topicChanged(config.name()));
          return null;
        });
  }

  @Override
  public Creation create(MailboxName name, AgentId creator, int maxPerCreator) {
    // On the writer thread, the count and the insert see no other write in between.
    return writer.execute(
        "create topic",
        s -> {
          if (isTopic(s, name)) {
            return Creation.EXISTS;
          }
          if (maxPerCreator < Integer.MAX_VALUE && createdBy(s, creator) >= maxPerCreator) {
            return Creation.AT_LIMIT;
          }
          insertTopic(s, name, Optional.of(creator));
          s.changed(l -> l.topicChanged(name));
          return Creation.CREATED;
        });
  }

  @Override
  public int createdBy(AgentId creator) {
    return readers.read("topics created", c -> createdBy(c::prepare, creator));
  }

  private static int createdBy(WriteSession s, AgentId creator) throws SQLException {
    return createdBy(s::prepare, creator);
  }

  private static int createdBy(Statements statements, AgentId creator) throws SQLException {
    PreparedStatement ps =
        statements.prepare("SELECT COUNT(*) FROM mailboxes WHERE creator = ? AND kind = ?");
    ps.setString(1, creator.value());
    ps.setString(2, TOPIC);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Prepares a statement on a reader's or the writer's connection. */
  @FunctionalInterface
  private interface Statements {
    PreparedStatement prepare(String sql) throws SQLException;
  }

  /**
   * Whether a topic of this name exists.
   *
   * @throws MailroomException.Conflict if the name is a mailbox of another kind
   */
  private static boolean isTopic(WriteSession s, MailboxName name) throws SQLException {
    PreparedStatement kind = s.prepare("SELECT kind FROM mailboxes WHERE name = ?");
    kind.setString(1, name.value());
    try (ResultSet rs = kind.executeQuery()) {
      if (!rs.next()) {
        return false;
      }
      MailboxKind existing = MailboxKind.valueOf(rs.getString(1));
      if (existing != MailboxKind.TOPIC) {
        throw new MailroomException.Conflict(
            "mailbox " + name + " is a " + existing.wireName() + " mailbox, not a topic");
      }
      return true;
    }
  }

  private static void insertTopic(WriteSession s, MailboxName name, Optional<AgentId> creator)
      throws SQLException {
    PreparedStatement create =
        s.prepare(
            "INSERT INTO mailboxes (name, kind, size, dropped, created_at, creator)"
                + " VALUES (?, ?, 0, 0, ?, ?)");
    create.setString(1, name.value());
    create.setString(2, TOPIC);
    create.setLong(3, s.clock().millis());
    setText(create, 4, creator.map(AgentId::value));
    create.executeUpdate();
  }

  private static void setText(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  @Override
  public Optional<TopicConfig> config(MailboxName name) {
    return readers.read(
        "topic config",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT " + CONFIG_COLUMNS + " FROM topics WHERE name = ?");
          ps.setString(1, name.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(config(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public List<TopicConfig> configs() {
    return readers.read(
        "topic configs",
        c -> {
          List<TopicConfig> all = new ArrayList<>();
          try (ResultSet rs =
              c.prepare("SELECT " + CONFIG_COLUMNS + " FROM topics ORDER BY name").executeQuery()) {
            while (rs.next()) {
              all.add(config(rs));
            }
          }
          return all;
        });
  }

  private static TopicConfig config(ResultSet rs) throws SQLException {
    int max = rs.getInt(4);
    OptionalInt maxSubscribers = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(max);
    return new TopicConfig(
        MailboxName.of(rs.getString(1)),
        Optional.ofNullable(rs.getString(2)),
        Optional.ofNullable(rs.getString(3)).map(Duration::parse),
        maxSubscribers,
        Optional.ofNullable(rs.getString(5)).map(Duration::parse));
  }

  @Override
  public Optional<TopicStats> stats(MailboxName topic) {
    return readers.read(
        "topic stats",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT " + STATS_COLUMNS + " FROM mailboxes WHERE name = ? AND kind = ?");
          ps.setString(1, topic.value());
          ps.setString(2, TOPIC);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(stats(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public List<TopicStats> topics(String prefix, Optional<MailboxName> after, int limit) {
    // Names are ASCII below DEL, so every name that starts with the prefix sorts below prefix+DEL.
    String from = after.map(MailboxName::value).filter(a -> a.compareTo(prefix) >= 0).orElse("");
    return readers.read(
        "topics page",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT "
                      + STATS_COLUMNS
                      + " FROM mailboxes WHERE kind = ? AND name >= ? AND name < ? AND name > ?"
                      + " ORDER BY name LIMIT ?");
          ps.setString(1, TOPIC);
          ps.setString(2, prefix);
          ps.setString(3, prefix + '\u007f');
          ps.setString(4, from);
          ps.setInt(5, limit);
          List<TopicStats> page = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              page.add(stats(rs));
            }
          }
          return page;
        });
  }

  private static TopicStats stats(ResultSet rs) throws SQLException {
    long last = rs.getLong(3);
    Optional<Instant> lastMessageAt =
        rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last));
    return new TopicStats(
        MailboxName.of(rs.getString(1)),
        rs.getLong(2),
        lastMessageAt,
        rs.getInt(4),
        Instant.ofEpochMilli(rs.getLong(5)));
  }

  @Override
  public void recordSubscribers(MailboxName topic, int subscribers) {
    writer.execute(
        "record subscribers",
        s -> {
          PreparedStatement ps =
              s.prepare(
                  "UPDATE mailboxes SET peak_subscribers = ?"
                      + " WHERE name = ? AND kind = ? AND peak_subscribers < ?");
          ps.setInt(1, subscribers);
          ps.setString(2, topic.value());
          ps.setString(3, TOPIC);
          ps.setInt(4, subscribers);
          ps.executeUpdate();
          return null;
        });
  }

  /**
   * One writer task, so the topic vanishes at once; a long history makes it a long task, which the
   * writer's other callers wait for.
   */
  @Override
  public boolean delete(MailboxName topic) {
    return writer.execute(
        "delete topic",
        s -> {
          PreparedStatement mailbox =
              s.prepare("DELETE FROM mailboxes WHERE name = ? AND kind = ?");
          mailbox.setString(1, topic.value());
          mailbox.setString(2, TOPIC);
          if (mailbox.executeUpdate() == 0) {
            return false;
          }
          // Its subscribers keep what they got: their fan-out rows, which take their filter
          // columns from the topic's entries, become entries of their own mailboxes first.
          PreparedStatement keep =
              s.prepare(
                  "INSERT INTO entries (mailbox, id, sender, priority, content_type, expires_at,"
                      + " tags, bounded, subscription, state, attempts, reason, dead_at)"
                      + " SELECT f.agent, e.id, e.sender, e.priority, e.content_type, e.expires_at,"
                      + " e.tags, 1, f.subscription, f.state, f.attempts, f.reason, f.dead_at"
                      + " FROM entries e CROSS JOIN fanout f ON f.id = e.id WHERE e.mailbox = ?");
          keep.setString(1, topic.value());
          keep.executeUpdate();
          PreparedStatement moved =
              s.prepare(
                  "DELETE FROM fanout WHERE id IN (SELECT id FROM entries WHERE mailbox = ?)");
          moved.setString(1, topic.value());
          moved.executeUpdate();
          s.sources().deleteMailbox(s, topic.value());
          PreparedStatement entries =
              s.prepare("DELETE FROM entries WHERE mailbox = ? RETURNING id");
          entries.setString(1, topic.value());
          List<Long> ids = new ArrayList<>();
          try (ResultSet rs = entries.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getLong(1));
            }
          }
          for (long id : ids) {
            MessageWrites.release(s, id, 1);
          }
          PreparedStatement config = s.prepare("DELETE FROM topics WHERE name = ?");
          config.setString(1, topic.value());
          config.executeUpdate();
          s.changed(l -> l.topicChanged(topic));
          return true;
        });
  }
}
