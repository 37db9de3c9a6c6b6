package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Backlog;
import dev.mailroom.core.delivery.DeadLetter;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryTotals;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.DeliveryStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQLite {@link DeliveryStore}. A delivery is the state columns of a {@code fanout} row or of
 * an agent-mailbox entry ({@link DeliveryTable}, {@link Schema}); reads merge the two by id. Writes
 * go through the {@link GroupCommitWriter}, reads through the {@link ReadPool}. The change listener
 * is told by the writer thread right after each commit. Thread-safe.
 */
final class SqliteDeliveryStore implements DeliveryStore {
  /** The delivery columns before the message's, for a {@link #deliveries} subquery {@code d}. */
  private static final String DELIVERY_COLUMNS = "d.owner, d.subscription, d.attempts, ";

  private static final String DEAD_COLUMNS = DELIVERY_COLUMNS + "d.reason, d.dead_at, ";

  private final GroupCommitWriter writer;
  private final ReadPool readers;
  private final WriteSession session;
  private final InstantSource clock;

  SqliteDeliveryStore(
      GroupCommitWriter writer, ReadPool readers, WriteSession session, InstantSource clock) {
    this.writer = writer;
    this.readers = readers;
    this.session = session;
    this.clock = clock;
  }

  @Override
  public boolean saveSubscription(Subscription subscription, int maxPerAgent) {
    // On the writer thread, the count and the insert see no other write in between.
    return writer.execute(
        "save subscription", s -> DeliveryWrites.saveSubscription(s, subscription, maxPerAgent));
  }

  @Override
  public int subscriptionCount(AgentId agent) {
    return readers.read(
        "subscription count",
        c -> {
          PreparedStatement ps = c.prepare("SELECT COUNT(*) FROM subscriptions WHERE agent = ?");
          ps.setString(1, agent.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  @Override
  public boolean deleteSubscription(SubscriptionId id) {
    return writer.execute("delete subscription", s -> DeliveryWrites.deleteSubscription(s, id));
  }

  @Override
  public Optional<Subscription> subscription(SubscriptionId id) {
    return readers.read(
        "subscription",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT " + SubscriptionRows.COLUMNS + " FROM subscriptions WHERE id = ?");
          ps.setString(1, id.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(SubscriptionRows.read(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public List<Subscription> subscriptions() {
    return readers.read(
        "subscriptions",
        c -> {
          List<Subscription> all = new ArrayList<>();
          try (ResultSet rs =
              c.prepare("SELECT " + SubscriptionRows.COLUMNS + " FROM subscriptions ORDER BY id")
                  .executeQuery()) {
            while (rs.next()) {
              all.add(SubscriptionRows.read(rs));
            }
          }
          return all;
        });
  }

  @Override
  public long queued(SubscriptionId id) {
    return readers.read(
        "queued",
        c -> {
          PreparedStatement ps = c.prepare("SELECT pending FROM queues WHERE subscription = ?");
          ps.setString(1, id.value());
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  /**
   * Walks the partial indexes of pending deliveries, which hold nothing else, of both tables, each
   * in id order up to {@code limit}, and merges the two. Two statements rather than one {@code
   * UNION ALL}: SQLite sorts each arm of a compound and the joined result again, even though every
   * index already gives id order, which cost a catch-up a fifth of its time.
   */
  @Override
  public List<Delivery> pending(AgentId agent, Optional<MessageId> after, int limit) {
    if (limit < 1) {
      return List.of();
    }
    long now = clock.millis();
    return readers.read(
        "pending",
        c -> {
          List<Delivery> fannedOut = pending(c, DeliveryTable.FANOUT, agent, after, now, limit);
          List<Delivery> own = pending(c, DeliveryTable.ENTRIES, agent, after, now, limit);
          if (own.isEmpty() || fannedOut.isEmpty()) {
            return own.isEmpty() ? fannedOut : own;
          }
          List<Delivery> merged = new ArrayList<>(Math.min(limit, own.size() + fannedOut.size()));
          int i = 0;
          int j = 0;
          while (merged.size() < limit && (i < own.size() || j < fannedOut.size())) {
            boolean takeOwn =
                j == fannedOut.size()
                    || (i < own.size()
                        && own.get(i).message().id().compareTo(fannedOut.get(j).message().id())
                            < 0);
            merged.add(takeOwn ? own.get(i++) : fannedOut.get(j++));
          }
          return merged;
        });
  }

  private static List<Delivery> pending(
      CachedConnection c,
      DeliveryTable t,
      AgentId agent,
      Optional<MessageId> after,
      long now,
      int limit)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT x."
                + t.owner()
                + ", x.subscription, x.attempts, "
                + MessageRows.COLUMNS
                + " FROM "
                + t.table()
                + " x INDEXED BY "
                + t.index("pending")
                + " CROSS JOIN messages m ON m.id = x.id WHERE x."
                + t.owner()
                + " = ? AND x."
                + Schema.PENDING
                + " AND x.id > ? AND +x.expires_at > ? ORDER BY x.id LIMIT ?");
    ps.setString(1, agent.value());
    ps.setLong(2, after.map(MessageId::value).orElse(-1L));
    ps.setLong(3, now);
    ps.setInt(4, limit);
    List<Delivery> deliveries = new ArrayList<>(Math.min(limit, 64));
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Message m = MessageRows.read(rs, 4);
        deliveries.add(new Delivery(m, agent, subscription(rs), rs.getInt(3)));
      }
    }
    return deliveries;
  }

  /**
   * The start of one arm of a {@link DeliveryTable#union}: every delivery column of table {@code t}
   * (aliased {@code x}) under the names {@link #DEAD_COLUMNS} reads, from the partial index {@code
   * index}.
   */
  private static String deliveries(DeliveryTable t, String index) {
    return "SELECT x."
        + t.owner()
        + " AS owner, x.id AS id, x.subscription AS subscription, x.attempts AS attempts,"
        + " x.reason AS reason, x.dead_at AS dead_at FROM "
        + t.table()
        + " x"
        + (index.isEmpty() ? "" : " INDEXED BY " + t.index(index));
  }

  private static SubscriptionId subscription(ResultSet rs) throws SQLException {
    return SubscriptionId.of(Queues.key(rs.getString(2)));
  }

  @Override
  public int acknowledge(AgentId agent, List<MessageId> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    List<MessageId> copy = List.copyOf(ids);
    return writer.execute("acknowledge", s -> DeliveryWrites.acknowledge(s, agent, copy));
  }

  @Override
  public boolean recordAttempts(AgentId agent, MessageId id, int attempts) {
    return writer.execute(
        "record attempts", s -> DeliveryWrites.recordAttempts(s, agent, id, attempts));
  }

  @Override
  public boolean deadLetter(AgentId agent, MessageId id, int attempts, String reason) {
    Objects.requireNonNull(reason, "reason");
    return writer.execute(
        "dead letter", s -> DeliveryWrites.deadLetter(s, agent, id, attempts, reason));
  }

  @Override
  public Optional<DeadLetter> deadLetter(AgentId agent, MessageId id) {
    long now = clock.millis();
    String sql =
        "SELECT "
            + DEAD_COLUMNS
            + MessageRows.COLUMNS
            + " FROM ("
            + DeliveryTable.union(
                t ->
                    deliveries(t, "")
                        + " WHERE x."
                        + t.owner()
                        + " = ? AND x.id = ? AND x."
                        + Schema.DEAD
                        + " AND x.expires_at > ?",
                "")
            + ") d CROSS JOIN messages m ON m.id = d.id";
    return readers.read(
        "dead letter",
        c -> {
          PreparedStatement ps = c.prepare(sql);
          int i = 1;
          for (int arm = 0; arm < 2; arm++) {
            ps.setString(i++, agent.value());
            ps.setLong(i++, id.value());
            ps.setLong(i++, now);
          }
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(deadLetter(rs)) : Optional.empty();
          }
        });
  }

  /**
   * One agent's dead letters come from the (agent, id) dead-letter indexes, everyone's from the
   * (id) ones; all hold dead letters only. Several agents' dead letters of one message come in
   * agent order.
   */
  @Override
  public List<DeadLetter> deadLetters(
      Optional<AgentId> agent, Optional<MessageId> after, int limit) {
    if (limit < 1) {
      return List.of();
    }
    long now = clock.millis();
    String sql =
        "SELECT "
            + DEAD_COLUMNS
            + MessageRows.COLUMNS
            + " FROM ("
            + DeliveryTable.union(
                t ->
                    deliveries(t, agent.isPresent() ? "dead" : "dead_by_id")
                        + " WHERE "
                        + (agent.isPresent() ? "x." + t.owner() + " = ? AND " : "")
                        + "x."
                        + Schema.DEAD
                        + " AND x.id > ? AND +x.expires_at > ? ORDER BY x.id, x."
                        + t.owner()
                        + " LIMIT ?",
                " ORDER BY id, owner LIMIT ?")
            + ") d CROSS JOIN messages m ON m.id = d.id ORDER BY d.id, d.owner";
    return readers.read(
        "dead letters",
        c -> {
          PreparedStatement ps = c.prepare(sql);
          int i = 1;
          for (int arm = 0; arm < 2; arm++) {
            if (agent.isPresent()) {
              ps.setString(i++, agent.get().value());
            }
            ps.setLong(i++, after.map(MessageId::value).orElse(-1L));
            ps.setLong(i++, now);
            ps.setInt(i++, limit);
          }
          ps.setInt(i, limit);
          List<DeadLetter> letters = new ArrayList<>(Math.min(limit, 64));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              letters.add(deadLetter(rs));
            }
          }
          return letters;
        });
  }

  private static DeadLetter deadLetter(ResultSet rs) throws SQLException {
    Message m = MessageRows.read(rs, 6);
    String reason = rs.getString(4);
    return new DeadLetter(
        m,
        AgentId.of(rs.getString(1)),
        subscription(rs),
        rs.getInt(3),
        reason == null ? "" : reason,
        Instant.ofEpochMilli(rs.getLong(5)));
  }

  @Override
  public boolean replay(AgentId agent, MessageId id) {
    return writer.execute("replay", s -> DeliveryWrites.replay(s, agent, id));
  }

  @Override
  public int purgeDeadLetters(Optional<AgentId> agent, Optional<MessageId> id) {
    return writer.execute("purge dead letters", s -> DeliveryWrites.purgeDeadLetters(s, agent, id));
  }

  /**
   * One statement. Pending deliveries are the sum of {@code queues}, one row per queue, which
   * {@link QueueCounters} keeps equal to the pending rows. Dead letters are counted on the {@code
   * dead_by_id} partial indexes of both tables, which hold dead letters only: a scan of every dead
   * letter (expired ones included, until the cleaner removes them). Subscriptions are counted by a
   * scan of their table.
   */
  @Override
  public DeliveryTotals totals() {
    String sql =
        "SELECT (SELECT COALESCE(SUM(pending), 0) FROM queues), "
            + DeliveryTable.BOTH.stream()
                .map(
                    t ->
                        "(SELECT COUNT(*) FROM "
                            + t.table()
                            + " INDEXED BY "
                            + t.index("dead_by_id")
                            + " WHERE "
                            + Schema.DEAD
                            + ")")
                .collect(Collectors.joining(" + "))
            + ", (SELECT COUNT(*) FROM subscriptions)";
    return readers.read(
        "delivery totals",
        c -> {
          try (ResultSet rs = c.prepare(sql).executeQuery()) {
            rs.next();
            return new DeliveryTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3));
          }
        });
  }

  /**
   * Groups every pending delivery by agent and way in: a scan of the {@code pending} partial
   * indexes of both tables, which hold pending deliveries only, with a look-up of each row for its
   * subscription (the indexes do not hold it). The cost grows with the pending deliveries of the
   * whole store, not with {@code limit}; meant for an operator's look, not for a hot path.
   */
  @Override
  public List<Backlog> backlogs(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    String sql =
        "SELECT owner, way, COUNT(*), MIN(id) FROM ("
            + DeliveryTable.union(
                t ->
                    "SELECT x."
                        + t.owner()
                        + " AS owner, COALESCE(x.subscription, '"
                        + SubscriptionId.INBOX.value()
                        + "') AS way, x.id AS id FROM "
                        + t.table()
                        + " x INDEXED BY "
                        + t.index("pending")
                        + " WHERE x."
                        + Schema.PENDING,
                "")
            + ") GROUP BY owner, way ORDER BY 3 DESC, owner, way LIMIT ?";
    return readers.read(
        "backlogs",
        c -> {
          PreparedStatement ps = c.prepare(sql);
          ps.setInt(1, limit);
          List<Backlog> backlogs = new ArrayList<>(Math.min(limit, 64));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              backlogs.add(
                  new Backlog(
                      AgentId.of(rs.getString(1)),
                      SubscriptionId.of(rs.getString(2)),
                      rs.getLong(3),
                      MessageId.of(rs.getLong(4))));
            }
          }
          return backlogs;
        });
  }

  /**
   * A subscription's backlog is a range of the {@code queued} partial indexes, (subscription, id):
   * the subscription's pending deliveries (of every agent routed through it, usually one), kept
   * where the agent matches. The inbox's is a range of the {@code pending} ones, (agent, id): the
   * agent's pending deliveries, each looked up for its subscription. Either costs as many steps as
   * that range holds rows.
   */
  @Override
  public Optional<Backlog> backlog(AgentId agent, SubscriptionId subscription) {
    boolean inbox = subscription.isInbox();
    String sql =
        "SELECT COUNT(*), MIN(id) FROM ("
            + DeliveryTable.union(
                t ->
                    "SELECT x.id AS id FROM "
                        + t.table()
                        + " x INDEXED BY "
                        + t.index(inbox ? "pending" : "queued")
                        + " WHERE x."
                        + t.owner()
                        + " = ? AND "
                        + (inbox
                            ? "x." + Schema.PENDING + " AND x.subscription IS NULL"
                            : "x.subscription = ? AND x." + Schema.QUEUED),
                "")
            + ")";
    return readers.read(
        "backlog",
        c -> {
          PreparedStatement ps = c.prepare(sql);
          int i = 1;
          for (int arm = 0; arm < 2; arm++) {
            ps.setString(i++, agent.value());
            if (!inbox) {
              ps.setString(i++, subscription.value());
            }
          }
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getLong(1) == 0) {
              return Optional.empty();
            }
            return Optional.of(
                new Backlog(agent, subscription, rs.getLong(1), MessageId.of(rs.getLong(2))));
          }
        });
  }
}
