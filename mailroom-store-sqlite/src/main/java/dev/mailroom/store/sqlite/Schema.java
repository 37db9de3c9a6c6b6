package dev.mailroom.store.sqlite;

import dev.mailroom.core.MessageId;
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
 *
 * <p>Version 2 adds real-time delivery, in place: every step adds a column with a constant default,
 * a table or an index, so even a large v1 file upgrades without rewriting its rows.
 *
 * <ul>
 *   <li>A delivery is the pair (agent, message), and so is an entry of an agent mailbox: the
 *       delivery state lives on that entry ({@code subscription}, {@code state}, {@code attempts},
 *       {@code reason}, {@code dead_at}) rather than in a table of its own. Queuing a delivery
 *       writes no row beyond the entry the send writes anyway, the payload is still stored once
 *       however many agents it reaches, and an entry dropped from a full inbox takes its delivery
 *       with it. Entries written by v1 have state {@code none}: an upgrade pushes no old inbox
 *       contents to anyone's stream.
 *   <li>{@code subscription} is null for the agent's own mailbox ({@link
 *       dev.mailroom.core.delivery.SubscriptionId#INBOX}, the commonest case), so the
 *       (subscription, id) index below leaves those rows out.
 *   <li>Partial indexes hold only the rows they serve, so entries in other states cost them
 *       nothing: (mailbox, id) of pending deliveries, the order a stream works through them;
 *       (subscription, id) of pending subscription deliveries, to find a full queue's oldest; and
 *       (mailbox, id) and (id) of dead letters, for one agent's and for everyone's dead-letter
 *       queue.
 *   <li>{@code queues.pending} counts each subscription's (and the inbox's) pending deliveries, so
 *       a send to a thousand subscribers checks a thousand queue bounds without counting a row. The
 *       writer keeps the counts in memory and writes those a batch changed once, just before it
 *       commits ({@link QueueCounters}). They are keyed by subscription id alone, not tied to a
 *       {@code subscriptions} row, so they stay right for whatever subscription a route names.
 *   <li>{@code subscriptions} holds each subscription with its filter in columns (only sender,
 *       minimum priority, content type and tags are used); durations are ISO-8601 text, so they
 *       come back exactly.
 *   <li>{@code topics} holds the configuration set on topic names, which need not be mailboxes.
 *   <li>A topic's statistics are columns of its mailbox row ({@code total}, {@code
 *       last_message_at}, {@code peak_subscribers}): a send updates that row anyway, so keeping
 *       them costs no extra write. An upgraded mailbox starts from what v1 knew: the entries it
 *       ever got ({@code size + dropped}) and the time of its newest entry.
 * </ul>
 *
 * <p>Version 3 adds access control:
 *
 * <ul>
 *   <li>{@code agents} gets {@code token_expires_at} (null: never), and {@code token_hash} may be
 *       null: a revoked token leaves the agent without one.
 *   <li>{@code access_policy} is one row (id 1) holding the versioned policy document; replacing it
 *       is an {@code UPDATE} conditional on the version, so two writers cannot both win.
 *   <li>{@code audit} is one row per audit record, every field in a column of its own exactly as
 *       given (so an edit made directly in the file is seen by the chain's verification). It is a
 *       rowid table, appended at its end. (chain, idx) is unique, which also serves reading a chain
 *       by index and listing the chains; the listing order (at, chain, idx) has an index, and the
 *       filters (actor, action, resource, outcome) are tested on the rows of that index, in order,
 *       until the page is full. Every request writes one audit row on the writer thread, so each
 *       index costs every request: indexes for the filters (three more) cut the send throughput
 *       from 18.9k to 13.6k/s in the benchmark (docs/BENCHMARKS.md, "What the audit log costs"),
 *       for the benefit of admin queries only. A filtered query bounded by since/until scans only
 *       that range.
 * </ul>
 *
 * <p>Version 4 adds what the per-agent caps count, in place:
 *
 * <ul>
 *   <li>{@code subscriptions} gets an index on {@code agent}, so counting an agent's subscriptions
 *       before saving one more reads only its own.
 *   <li>{@code mailboxes} gets {@code creator}: the agent that created a topic through {@code
 *       TopicStore.create}, null for every other mailbox and for topics created before (which then
 *       count for nobody). A partial index holds only the rows that have one.
 * </ul>
 *
 * <p>Version 5 makes a fan-out write in one place, in place (old entries stay where they are and
 * are read as before):
 *
 * <ul>
 *   <li>A message sent to a shared or topic mailbox no longer enters each subscriber's own mailbox
 *       as an {@code entries} row. Each subscriber gets a {@code fanout} row instead, keyed by
 *       (message, agent): the rows of one publish sit side by side on one or two pages, where
 *       {@code entries} rows, keyed by (mailbox, id), put each subscriber's on a page of its own. A
 *       publish to a thousand subscribers dirtied more than a thousand pages; it now dirties about
 *       sixty, about half of them the subscribers' counts (docs/ARCHITECTURE.md, "Fan-out that
 *       writes once"). The row holds the delivery state exactly as an entry does, and the message's
 *       expiry so that a delivery's liveness needs no join.
 *   <li>{@code fanout} has no (agent, id) key. Its filter columns are those of the source mailbox's
 *       own entry (the shared or topic mailbox the message was sent to, which keeps it until it
 *       expires; deleting a topic first turns its subscribers' rows into entries of their own), so
 *       an agent's listing walks each of its sources' entries and joins the agent's row ({@code
 *       sources} names them, with the lowest id the agent may still hold from each).
 *   <li>Partial indexes hold only the rows in states a stream or an operator looks for (pending,
 *       dead), so they stay small while consumers keep up: pending by (agent, id) for a stream's
 *       catch-up, by (subscription, id) for a full queue's oldest, dead by (agent, id) and by id.
 * </ul>
 *
 * <p>Version 6 adds attachments, in place (old messages have none):
 *
 * <ul>
 *   <li>{@code messages.attachments} holds the files a message carries, as compact JSON ({@link
 *       AttachmentColumn}), and is null for a message without any: a send without attachments
 *       writes exactly what it wrote before.
 *   <li>{@code message_blobs} holds one (blob, message) row per blob a stored message carries, so
 *       that which blobs are still referenced is a probe of its (blob, id) key per blob, not a scan
 *       of every message's attachments. The send writes the rows in the transaction of the message.
 *   <li>A trigger deletes a message's rows when the message row is deleted, whatever deletes it
 *       (expiry, the last entry leaving a bounded inbox, a topic's purge): no deletion path has to
 *       remember them. It fires only for messages that have attachments ({@code WHEN
 *       OLD.attachments IS NOT NULL}), so deleting any other message costs nothing more; the index
 *       on {@code id} makes its delete a probe.
 * </ul>
 *
 * <p>Version 7 adds the web console's sessions, in place:
 *
 * <ul>
 *   <li>{@code console_sessions} is one row per session, keyed by the hash of its secret (the
 *       secret itself is never stored), with its agent, the hash of the token it was opened with
 *       and its times in epoch milliseconds. It is not tied to an {@code agents} row: the caller
 *       checks the agent and its token when it reads a session.
 *   <li>An index on {@code expires_at} makes deleting the expired sessions a range scan.
 * </ul>
 *
 * <p>Version 8 indexes threads and adds reservations, the directory, retirement and enrollment, in
 * place:
 *
 * <ul>
 *   <li>{@code messages} gets a partial index on (thread_id, id) of the messages that name a
 *       thread, so a thread's page is a range scan of it, whichever mailboxes hold its messages.
 *       Messages without a thread (most of them) cost it nothing.
 *   <li>{@code reservations} is one row per reservation, keyed by its id, with its project, holder,
 *       patterns (joined by newlines: a pattern holds no control character), {@code exclusive} 0 or
 *       1, reason and times in epoch milliseconds. Reserving reads the project's live rows and
 *       inserts in one writer task, so a conflict check and its insert are one transaction.
 *   <li>An index on {@code (project, expires_at)} finds a project's live rows; one on {@code
 *       expires_at} makes the purge of expired rows a range scan.
 *   <li>{@code agents} gets the profile an agent edits ({@code display_name}, {@code description},
 *       {@code program}, {@code model}, and {@code tags} space-separated; all null or empty when
 *       unset), {@code retired_at} (null while active) and {@code last_seen_at}, which the presence
 *       store writes without telling the change listener (nothing caches it), at most about once a
 *       minute per agent.
 *   <li>{@code enrollments} is one row per enrollment, keyed by its id, its secret kept only as
 *       {@code hash} (unique); a registration decrements {@code remaining} and inserts the agent in
 *       one writer task, so concurrent ones never use more than it has.
 * </ul>
 *
 * <p>Version 9 adds full-text search, in place ({@link SearchIndex}):
 *
 * <ul>
 *   <li>{@code message_search} is a contentless FTS5 table (it keeps the inverted index and the
 *       counts BM25 needs, not a copy of the text), one row per message keyed by its id, holding
 *       the message's terms as the core tokenizer writes them. The send inserts the row in the
 *       message's transaction.
 *   <li>A trigger deletes a message's row when the message row is deleted, whatever deletes it, as
 *       for {@code message_blobs}.
 *   <li>The step indexes every message already stored, in its transaction: an upgrade of a large
 *       file takes about as long as writing its messages' terms once.
 * </ul>
 *
 * <p>Version 10 adds obligations and receipt marks, in place (old messages have neither):
 *
 * <ul>
 *   <li>{@code obligations} is one row per message that asked for an acknowledgement or a reply,
 *       keyed by the message's id, with its sender, target (and the target's kind), thread, {@code
 *       ack_required} 0 or 1, deadline, the message's expiry, who met it how and when ({@code
 *       met_*}, null while owed) and when the overdue notice went out. Indexes on (sender, id) and
 *       (target, id) list either side newest first; a partial index on thread_id of the unmet rows
 *       finds what a reply meets; a partial index on reply_by of the unmet, unnoticed rows with a
 *       deadline is the sweeper's queue; one on expires_at makes the purge a range scan.
 *   <li>{@code receipt_marks} is one row per (message, agent) that was handed a message or
 *       acknowledged it, with the first time of each (null until then) and the message's expiry. A
 *       mark that is there already is not written again.
 * </ul>
 */
final class Schema {
  static final int VERSION = 10;

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

  /**
   * The condition of the partial index of pending deliveries. A query must contain it word for word
   * for SQLite to use the index.
   */
  static final String PENDING = "state = " + DeliveryState.PENDING;

  /** The condition of the partial index of pending deliveries through a subscription. */
  static final String QUEUED = PENDING + " AND subscription IS NOT NULL";

  /** The condition of the partial indexes of dead letters. */
  static final String DEAD = "state = " + DeliveryState.DEAD;

  private static final List<String> V2 =
      List.of(
          "ALTER TABLE entries ADD COLUMN subscription TEXT",
          "ALTER TABLE entries ADD COLUMN state INTEGER NOT NULL DEFAULT " + DeliveryState.NONE,
          "ALTER TABLE entries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE entries ADD COLUMN reason TEXT",
          "ALTER TABLE entries ADD COLUMN dead_at INTEGER",
          "CREATE INDEX entries_pending ON entries (mailbox, id) WHERE " + PENDING,
          "CREATE INDEX entries_queued ON entries (subscription, id) WHERE " + QUEUED,
          "CREATE INDEX entries_dead ON entries (mailbox, id) WHERE " + DEAD,
          "CREATE INDEX entries_dead_by_id ON entries (id) WHERE " + DEAD,
          "ALTER TABLE mailboxes ADD COLUMN total INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE mailboxes ADD COLUMN last_message_at INTEGER",
          "ALTER TABLE mailboxes ADD COLUMN peak_subscribers INTEGER NOT NULL DEFAULT 0",
          // Ids carry their time in the bits above the sequence.
          "UPDATE mailboxes SET total = size + dropped, last_message_at ="
              + " (SELECT MAX(e.id) >> "
              + MessageId.SEQUENCE_BITS
              + " FROM entries e WHERE e.mailbox = mailboxes.name)",
          """
          CREATE TABLE subscriptions (
            id TEXT NOT NULL PRIMARY KEY,
            agent TEXT NOT NULL,
            pattern TEXT NOT NULL,
            mode TEXT NOT NULL,
            filter_sender TEXT,
            filter_min_priority INTEGER,
            filter_content_type TEXT,
            filter_tags TEXT NOT NULL,
            batch_size INTEGER NOT NULL,
            batch_window TEXT NOT NULL,
            max_queue_size INTEGER NOT NULL,
            auto_ack INTEGER NOT NULL,
            created_at INTEGER NOT NULL) WITHOUT ROWID""",
          """
          CREATE TABLE queues (
            subscription TEXT NOT NULL PRIMARY KEY,
            pending INTEGER NOT NULL) WITHOUT ROWID""",
          """
          CREATE TABLE topics (
            name TEXT NOT NULL PRIMARY KEY,
            description TEXT,
            retention TEXT,
            max_subscribers INTEGER,
            cleanup_after TEXT) WITHOUT ROWID""");

  private static final List<String> V3 =
      List.of(
          // SQLite cannot drop a NOT NULL constraint in place, so the table is rebuilt: one row per
          // agent, so it is quick. UNIQUE lets any number of agents have no token.
          """
          CREATE TABLE agents_v3 (
            id TEXT NOT NULL PRIMARY KEY,
            roles TEXT NOT NULL,
            token_hash TEXT UNIQUE,
            created_at INTEGER NOT NULL,
            token_expires_at INTEGER) WITHOUT ROWID""",
          "INSERT INTO agents_v3 (id, roles, token_hash, created_at)"
              + " SELECT id, roles, token_hash, created_at FROM agents",
          "DROP TABLE agents",
          "ALTER TABLE agents_v3 RENAME TO agents",
          """
          CREATE TABLE access_policy (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL,
            content TEXT NOT NULL)""",
          "INSERT INTO access_policy (id, version, content) VALUES (1, 0, '')",
          """
          CREATE TABLE audit (
            chain TEXT NOT NULL,
            idx INTEGER NOT NULL,
            at INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            resource TEXT NOT NULL,
            status INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (chain, idx))""",
          "CREATE INDEX audit_at ON audit (at, chain, idx)");

  private static final List<String> V4 =
      List.of(
          "CREATE INDEX subscriptions_agent ON subscriptions (agent)",
          "ALTER TABLE mailboxes ADD COLUMN creator TEXT",
          "CREATE INDEX mailboxes_creator ON mailboxes (creator) WHERE creator IS NOT NULL");

  private static final List<String> V5 =
      List.of(
          """
          CREATE TABLE fanout (
            id INTEGER NOT NULL,
            agent TEXT NOT NULL,
            subscription TEXT,
            state INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            dead_at INTEGER,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (id, agent)) WITHOUT ROWID""",
          "CREATE INDEX fanout_pending ON fanout (agent, id) WHERE " + PENDING,
          "CREATE INDEX fanout_queued ON fanout (subscription, id) WHERE " + QUEUED,
          "CREATE INDEX fanout_dead ON fanout (agent, id) WHERE " + DEAD,
          "CREATE INDEX fanout_dead_by_id ON fanout (id) WHERE " + DEAD,
          """
          CREATE TABLE sources (
            agent TEXT NOT NULL,
            mailbox TEXT NOT NULL,
            since INTEGER NOT NULL,
            PRIMARY KEY (agent, mailbox)) WITHOUT ROWID""",
          "CREATE INDEX sources_mailbox ON sources (mailbox)");

  private static final List<String> V6 =
      List.of(
          "ALTER TABLE messages ADD COLUMN attachments TEXT",
          """
          CREATE TABLE message_blobs (
            blob TEXT NOT NULL,
            id INTEGER NOT NULL,
            PRIMARY KEY (blob, id)) WITHOUT ROWID""",
          "CREATE INDEX message_blobs_id ON message_blobs (id)",
          """
          CREATE TRIGGER messages_blobs_released AFTER DELETE ON messages
          WHEN OLD.attachments IS NOT NULL
          BEGIN
            DELETE FROM message_blobs WHERE id = OLD.id;
          END""");

  private static final List<String> V7 =
      List.of(
          """
          CREATE TABLE console_sessions (
            hash TEXT NOT NULL PRIMARY KEY,
            agent TEXT NOT NULL,
            token_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL) WITHOUT ROWID""",
          "CREATE INDEX console_sessions_expires_at ON console_sessions (expires_at)");

  private static final List<String> V8 =
      List.of(
          "CREATE INDEX messages_thread ON messages (thread_id, id) WHERE thread_id IS NOT NULL",
          """
          CREATE TABLE reservations (
            id TEXT NOT NULL PRIMARY KEY,
            project TEXT NOT NULL,
            holder TEXT NOT NULL,
            patterns TEXT NOT NULL,
            exclusive INTEGER NOT NULL,
            reason TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL) WITHOUT ROWID""",
          "CREATE INDEX reservations_project ON reservations (project, expires_at)",
          "CREATE INDEX reservations_expires_at ON reservations (expires_at)",
          "ALTER TABLE agents ADD COLUMN display_name TEXT",
          "ALTER TABLE agents ADD COLUMN description TEXT",
          "ALTER TABLE agents ADD COLUMN program TEXT",
          "ALTER TABLE agents ADD COLUMN model TEXT",
          "ALTER TABLE agents ADD COLUMN tags TEXT NOT NULL DEFAULT ''",
          "ALTER TABLE agents ADD COLUMN retired_at INTEGER",
          "ALTER TABLE agents ADD COLUMN last_seen_at INTEGER",
          """
          CREATE TABLE enrollments (
            id TEXT NOT NULL PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            roles TEXT NOT NULL,
            uses INTEGER NOT NULL,
            remaining INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            id_prefix TEXT,
            issuer TEXT NOT NULL)""");

  private static final List<String> V9 = SearchIndex.DDL;

  private static final List<String> V10 =
      List.of(
          """
          CREATE TABLE obligations (
            id INTEGER NOT NULL PRIMARY KEY,
            sender TEXT NOT NULL,
            target TEXT NOT NULL,
            kind TEXT NOT NULL,
            thread_id TEXT NOT NULL,
            ack_required INTEGER NOT NULL,
            reply_by INTEGER,
            expires_at INTEGER NOT NULL,
            met_by TEXT,
            met_means TEXT,
            met_at INTEGER,
            reply_id INTEGER,
            noticed_at INTEGER)""",
          "CREATE INDEX obligations_sender ON obligations (sender, id)",
          "CREATE INDEX obligations_target ON obligations (target, id)",
          "CREATE INDEX obligations_unmet ON obligations (thread_id, id) WHERE met_at IS NULL",
          """
          CREATE INDEX obligations_due ON obligations (reply_by, id)
          WHERE met_at IS NULL AND noticed_at IS NULL AND reply_by IS NOT NULL""",
          "CREATE INDEX obligations_expires_at ON obligations (expires_at)",
          """
          CREATE TABLE receipt_marks (
            id INTEGER NOT NULL,
            agent TEXT NOT NULL,
            delivered_at INTEGER,
            acked_at INTEGER,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (id, agent)) WITHOUT ROWID""",
          "CREATE INDEX receipt_marks_expires_at ON receipt_marks (expires_at)");

  /** The migration steps: element {@code i} takes version {@code i} to {@code i + 1}. */
  private static final List<List<String>> STEPS = List.of(V1, V2, V3, V4, V5, V6, V7, V8, V9, V10);

  private Schema() {}

  /**
   * Brings the database up to {@link #VERSION}, each step in its own transaction.
   *
   * @throws SQLException if the file was written by a newer schema, or a step fails
   */
  static void migrate(CachedConnection writer) throws SQLException {
    migrate(writer, VERSION);
  }

  /** Brings the database up to {@code target}; tests use it to write files of older versions. */
  static void migrate(CachedConnection writer, int target) throws SQLException {
    int version = version(writer);
    if (version > VERSION) {
      throw new SQLException(
          "the database has schema version " + version + "; this Mailroom knows up to " + VERSION);
    }
    for (int v = version; v < target; v++) {
      writer.execute("BEGIN IMMEDIATE");
      try {
        for (String ddl : STEPS.get(v)) {
          writer.execute(ddl);
        }
        if (v + 1 == 9) {
          SearchIndex.fill(writer);
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
