package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message writes, as they run on the writer thread inside a batch transaction (each inside its
 * own savepoint, so throwing rolls back exactly the work of the one call). Every statement is
 * prepared once on the write connection and reused; a send to an existing mailbox is three
 * statements: the mailbox's size update (which also returns its kind, so no separate lookup or
 * cache is needed), the message, and its entry. A message with attachments adds one statement,
 * which records the blobs it carries ({@code message_blobs}); one without adds none.
 *
 * <p>Fan-out: a send to a shared mailbox or topic also reaches each subscriber's own mailbox, as
 * one {@code fanout} row per subscriber next to the others of the message (not as an entry in each
 * subscriber's mailbox, see {@link Schema}), with a delivery queued on it for pushed subscriptions
 * and counted in the subscription's queue ({@link FanOut}, {@link Queues}); the payload is stored
 * once. A broadcast enters each agent's own mailbox instead. A direct message or a broadcast queues
 * a delivery for each agent whose mailbox it enters, under {@link SubscriptionId#INBOX}. The
 * listener hears of the send once the batch commits.
 *
 * <p>Bounded inbox: only {@link MailboxKind#AGENT} mailboxes are bounded, to {@link
 * RetentionPolicy#maxInboxSize()} entries ({@link Inboxes}); shared and topic mailboxes keep
 * everything until it expires.
 *
 * <p>Confined to the writer thread.
 */
final class MessageWrites {
  private static final String AGENT = MailboxKind.AGENT.name();

  private final RetentionPolicy retention;

  MessageWrites(RetentionPolicy retention) {
    this.retention = retention;
  }

  SendResult send(WriteSession s, OutgoingMessage out, Route route) throws SQLException {
    long now = s.clock().millis();
    Optional<String> key = out.draft().idempotencyKey();
    if (key.isPresent()) {
      Optional<SendResult> earlier = earlierSend(s, out.sender(), key.get(), now);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    // The id first: its time is the message's, and so the mailboxes' last message time.
    MessageId id = s.nextId();
    long at = id.timestamp().toEpochMilli();
    // The route's own mailbox gets a statement of its own; agent mailboxes reached through
    // subscriptions or a broadcast are written together, however many there are.
    Optional<Target> mailbox;
    List<Target> agents;
    switch (route) {
      case Route.ToMailbox to -> {
        mailbox = Optional.of(enter(s, to.name(), to.kind(), at));
        agents =
            to.subscribers().isEmpty()
                ? List.of()
                : FanOut.subscribers(s, to.subscribers(), out.sender(), at);
      }
      case Route.ToAllAgents all -> {
        mailbox = Optional.empty();
        agents = everyAgentBut(s, all.sender(), at);
      }
    }
    List<Target> targets = new ArrayList<>(agents.size() + 1);
    mailbox.ifPresent(targets::add);
    targets.addAll(agents);
    int reached = route.recipients(targets.size());
    Message message = out.toMessage(id, reached);
    PreparedStatement insert = s.prepare(MessageRows.insert(message));
    MessageRows.bindInsert(insert, message, targets.size());
    insert.executeUpdate();
    if (!message.attachments().isEmpty()) {
      insertBlobs(s, message);
    }
    SearchIndex.insert(s, message);
    Optional<Obligation> asked = Obligation.askedBy(out, route, id);
    if (asked.isPresent()) {
      SqliteObligationStore.insert(s, asked.get());
    }
    s.messagesChanged(1);
    String tags = MessageRows.filterTags(message.tags());
    if (mailbox.isPresent()) {
      insertEntry(s, mailbox.get(), message, tags);
    }
    if (mailbox.isPresent()) {
      // Only shared and topic mailboxes have subscribers. Their entries live as long as the
      // message: the subscribers' rows point at them for their filter columns.
      FanOut.insertFanout(s, mailbox.get().mailbox(), agents, message);
    } else {
      FanOut.insertEntries(s, agents, message, tags);
    }
    List<Recipient> pushed = new ArrayList<>(targets.size());
    List<AgentId> reachedAgents = new ArrayList<>(targets.size());
    for (Target t : targets) {
      if (t.kind() == MailboxKind.AGENT) {
        reachedAgents.add(AgentId.of(t.mailbox()));
      }
      if (t.pushed()) {
        pushed.add(t.via().orElseThrow());
      }
    }
    int dropped = Inboxes.trim(s, targets, retention.maxInboxSize());
    Queues.queue(s, pushed);
    if (key.isPresent()) {
      PreparedStatement ps =
          s.prepare(
              "INSERT INTO idempotency (sender, key, id, recipients, created_at)"
                  + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sender, key) DO UPDATE SET"
                  + " id = excluded.id, recipients = excluded.recipients,"
                  + " created_at = excluded.created_at");
      ps.setString(1, out.sender().value());
      ps.setString(2, key.get());
      ps.setLong(3, id.value());
      ps.setInt(4, reached);
      ps.setLong(5, now);
      ps.executeUpdate();
    }
    if (!reachedAgents.isEmpty()) {
      List<Recipient> told = List.copyOf(pushed);
      List<AgentId> reachedTold = List.copyOf(reachedAgents);
      s.changed(l -> l.stored(message, told, reachedTold));
    }
    return new SendResult.Accepted(id, reached, dropped);
  }

  /**
   * Records which blobs the message carries, one row per blob however often it attaches it; the
   * {@code message_blobs} trigger takes them away with the message (see {@link Schema}).
   */
  private static void insertBlobs(WriteSession s, Message m) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "INSERT OR IGNORE INTO message_blobs (blob, id) SELECT value, ? FROM json_each(?)");
    ps.setLong(1, m.id().value());
    ps.setString(2, Json.strings(m.attachments().stream().map(a -> a.blob().value()).toList()));
    ps.executeUpdate();
  }

  private Optional<SendResult> earlierSend(WriteSession s, AgentId sender, String key, long now)
      throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "SELECT id, recipients, created_at FROM idempotency WHERE sender = ? AND key = ?");
    ps.setString(1, sender.value());
    ps.setString(2, key);
    try (ResultSet rs = ps.executeQuery()) {
      if (rs.next() && rs.getLong(3) >= now - retention.dedupeWindow().toMillis()) {
        return Optional.of(new SendResult.Duplicate(MessageId.of(rs.getLong(1)), rs.getInt(2)));
      }
    }
    return Optional.empty();
  }

  /** What a direct message or a broadcast queues for the agent whose mailbox it enters. */
  private static Recipient inbox(String agent) {
    return new Recipient(AgentId.of(agent), SubscriptionId.INBOX, true, Integer.MAX_VALUE);
  }

  /** Counts the new entry into an existing mailbox, or creates the mailbox. */
  private static Target enter(WriteSession s, MailboxName name, MailboxKind kind, long now)
      throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "UPDATE mailboxes SET size = size + 1, total = total + 1, last_message_at = ?"
                + " WHERE name = ? RETURNING kind, size");
    ps.setLong(1, now);
    ps.setString(2, name.value());
    try (ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        MailboxKind existing = MailboxKind.valueOf(rs.getString(1));
        if (existing != kind) {
          // The savepoint rollback undoes the size update.
          throw new MailroomException.Conflict(
              "mailbox "
                  + name
                  + " is a "
                  + existing.wireName()
                  + " mailbox, not a "
                  + kind.wireName()
                  + " mailbox");
        }
        Optional<Recipient> via =
            kind == MailboxKind.AGENT ? Optional.of(inbox(name.value())) : Optional.empty();
        return new Target(name.value(), kind, rs.getLong(2), via);
      }
    }
    if (kind == MailboxKind.AGENT) {
      throw new MailroomException.Conflict("there is no agent " + name);
    }
    PreparedStatement create =
        s.prepare(
            "INSERT INTO mailboxes (name, kind, size, dropped, created_at, total, last_message_at)"
                + " VALUES (?, ?, 1, 0, ?, 1, ?)");
    create.setString(1, name.value());
    create.setString(2, kind.name());
    create.setLong(3, now);
    create.setLong(4, now);
    create.executeUpdate();
    return new Target(name.value(), kind, 1, Optional.empty());
  }

  private static List<Target> everyAgentBut(WriteSession s, AgentId sender, long now)
      throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "UPDATE mailboxes SET size = size + 1, total = total + 1, last_message_at = ?"
                + " WHERE kind = ? AND name <> ? RETURNING name, size");
    ps.setLong(1, now);
    ps.setString(2, AGENT);
    ps.setString(3, sender.value());
    List<Target> targets = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String agent = rs.getString(1);
        targets.add(new Target(agent, MailboxKind.AGENT, rs.getLong(2), Optional.of(inbox(agent))));
      }
    }
    return targets;
  }

  private static void insertEntry(WriteSession s, Target t, Message m, String tags)
      throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO entries (mailbox, id, sender, priority, content_type, expires_at, tags,"
                + " bounded, subscription, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setString(1, t.mailbox());
    ps.setLong(2, m.id().value());
    ps.setString(3, m.sender().value());
    ps.setInt(4, m.priority().ordinal());
    ps.setString(5, m.contentType().mediaType());
    ps.setLong(6, m.expiresAt().toEpochMilli());
    ps.setString(7, tags);
    ps.setInt(8, t.kind() == MailboxKind.AGENT ? 1 : 0);
    Optional<Recipient> via = t.via();
    ps.setString(9, via.isPresent() ? Queues.column(via.get().subscription()) : null);
    ps.setInt(10, via.isPresent() && via.get().push() ? DeliveryState.PENDING : DeliveryState.NONE);
    ps.executeUpdate();
  }

  /**
   * {@code entries} entries of a message are gone; the message goes with its last entry. Most
   * messages have one entry, so the delete is tried first and the count is only lowered when others
   * remain.
   */
  static void release(WriteSession s, long id, int entries) throws SQLException {
    PreparedStatement delete = s.prepare("DELETE FROM messages WHERE id = ? AND refs <= ?");
    delete.setLong(1, id);
    delete.setInt(2, entries);
    if (delete.executeUpdate() > 0) {
      s.messagesChanged(-1);
      return;
    }
    PreparedStatement ps = s.prepare("UPDATE messages SET refs = refs - ? WHERE id = ?");
    ps.setInt(1, entries);
    ps.setLong(2, id);
    ps.executeUpdate();
  }

  private static void deleteMessage(WriteSession s, long id) throws SQLException {
    PreparedStatement message = s.prepare("DELETE FROM messages WHERE id = ?");
    message.setLong(1, id);
    if (message.executeUpdate() > 0) {
      s.messagesChanged(-1);
    }
  }

  boolean markRead(WriteSession s, MessageId id, AgentId reader) throws SQLException {
    long now = s.clock().millis();
    if (!isLive(s, id, now)) {
      return false;
    }
    PreparedStatement ps =
        s.prepare(
            "INSERT INTO read_state (reader, id, read_at, updated_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (reader, id) DO UPDATE SET read_at = excluded.read_at,"
                + " updated_at = excluded.updated_at WHERE read_at IS NULL");
    ps.setString(1, reader.value());
    ps.setLong(2, id.value());
    ps.setLong(3, now);
    ps.setLong(4, now);
    ps.executeUpdate();
    return true;
  }

  boolean markUnread(WriteSession s, MessageId id, AgentId reader) throws SQLException {
    long now = s.clock().millis();
    if (!isLive(s, id, now)) {
      return false;
    }
    // The row stays (with no read time) so the change itself is on record until retention.
    PreparedStatement ps =
        s.prepare(
            "UPDATE read_state SET read_at = NULL, updated_at = ?"
                + " WHERE reader = ? AND id = ? AND read_at IS NOT NULL");
    ps.setLong(1, now);
    ps.setString(2, reader.value());
    ps.setLong(3, id.value());
    ps.executeUpdate();
    return true;
  }

  private static boolean isLive(WriteSession s, MessageId id, long now) throws SQLException {
    PreparedStatement ps = s.prepare("SELECT 1 FROM messages WHERE id = ? AND expires_at > ?");
    ps.setLong(1, id.value());
    ps.setLong(2, now);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /**
   * What one purge task did.
   *
   * @param more whether it stopped at a limit, so that more may be due
   */
  record Purged(int removed, boolean more) {}

  /**
   * Deletes up to {@code max} expired messages with their entries, stopping early (after at least
   * one) once their entries would pass {@code maxEntries}.
   */
  Purged purgeMessages(WriteSession s, int max, int maxEntries) throws SQLException {
    long now = s.clock().millis();
    PreparedStatement find =
        s.prepare(
            "SELECT id, expires_at, refs FROM messages WHERE expires_at <= ?"
                + " ORDER BY expires_at LIMIT ?");
    find.setLong(1, now);
    find.setInt(2, max);
    List<long[]> expired = new ArrayList<>();
    boolean more;
    try (ResultSet rs = find.executeQuery()) {
      long entries = 0;
      while (rs.next()) {
        entries += rs.getLong(3);
        if (!expired.isEmpty() && entries > maxEntries) {
          break;
        }
        expired.add(new long[] {rs.getLong(1), rs.getLong(2)});
      }
      more = expired.size() == max || entries > maxEntries;
    }
    Map<String, Integer> removedPerMailbox = new HashMap<>();
    Map<String, Long> pendingPerQueue = new HashMap<>();
    PreparedStatement entries =
        s.prepare(
            "DELETE FROM entries WHERE expires_at = ? AND id = ?"
                + " RETURNING mailbox, subscription, state");
    PreparedStatement fanout =
        s.prepare("DELETE FROM fanout WHERE id = ? RETURNING agent, subscription, state");
    for (long[] m : expired) {
      entries.setLong(1, m[1]);
      entries.setLong(2, m[0]);
      fanout.setLong(1, m[0]);
      for (PreparedStatement delete : List.of(entries, fanout)) {
        try (ResultSet rs = delete.executeQuery()) {
          while (rs.next()) {
            removedPerMailbox.merge(rs.getString(1), 1, Integer::sum);
            if (rs.getInt(3) == DeliveryState.PENDING) {
              pendingPerQueue.merge(Queues.key(rs.getString(2)), 1L, Long::sum);
            }
          }
        }
      }
      deleteMessage(s, m[0]);
    }
    PreparedStatement sizes = s.prepare("UPDATE mailboxes SET size = size - ? WHERE name = ?");
    for (Map.Entry<String, Integer> e : removedPerMailbox.entrySet()) {
      sizes.setInt(1, e.getValue());
      sizes.setString(2, e.getKey());
      sizes.executeUpdate();
    }
    Queues.remove(s, pendingPerQueue);
    return new Purged(expired.size(), more);
  }

  /** Deletes up to {@code max} read-state records past their retention; returns how many. */
  int purgeReadStates(WriteSession s, int max) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "DELETE FROM read_state WHERE (reader, id) IN"
                + " (SELECT reader, id FROM read_state WHERE updated_at < ? LIMIT ?)");
    ps.setLong(1, s.clock().millis() - retention.readStateRetention().toMillis());
    ps.setInt(2, max);
    return ps.executeUpdate();
  }

  /** Forgets up to {@code max} idempotency keys past the dedupe window; returns how many. */
  int purgeIdempotencyKeys(WriteSession s, int max) throws SQLException {
    PreparedStatement ps =
        s.prepare(
            "DELETE FROM idempotency WHERE (sender, key) IN"
                + " (SELECT sender, key FROM idempotency WHERE created_at < ? LIMIT ?)");
    ps.setLong(1, s.clock().millis() - retention.dedupeWindow().toMillis());
    ps.setInt(2, max);
    return ps.executeUpdate();
  }
}
