package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailboxStats;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.ReadReceipt;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.search.Relevance;
import dev.mailroom.core.search.SearchDocument;
import dev.mailroom.core.search.SearchHit;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import dev.mailroom.core.spi.CleanupReport;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The SQLite {@link MessageStore}: writes go through the {@link GroupCommitWriter}, reads through
 * the {@link ReadPool}. Thread-safe.
 *
 * <p>Agent mailboxes are bounded by {@link RetentionPolicy#maxInboxSize()} (the oldest entries are
 * dropped and counted); shared and topic mailboxes are not bounded and shrink only by expiry.
 */
final class SqliteMessageStore implements MessageStore {
  /** Expired messages deleted per writer task, so the cleaner never holds the writer for long. */
  static final int PURGE_CHUNK = 256;

  /**
   * Entries deleted per writer task, about: a message sent to a thousand subscribers has a thousand
   * and one, so a chunk of messages stops early once their entries reach this many.
   */
  static final int PURGE_ENTRIES = 4096;

  private static final Duration OPTIMIZE_EVERY = Duration.ofHours(1);

  private final GroupCommitWriter writer;
  private final ReadPool readers;
  private final InstantSource clock;
  private final MessageWrites writes;
  private volatile Instant lastOptimize;

  SqliteMessageStore(
      GroupCommitWriter writer, ReadPool readers, InstantSource clock, RetentionPolicy retention) {
    this.writer = writer;
    this.readers = readers;
    this.clock = clock;
    this.writes = new MessageWrites(retention);
    this.lastOptimize = clock.instant();
  }

  @Override
  public SendResult send(OutgoingMessage message, Route route) {
    return writer.execute("send", s -> writes.send(s, message, route));
  }

  /** One writer task: the whole batch in one transaction, one sync, all or nothing. */
  @Override
  public List<SendResult> sendAll(List<Send> sends) {
    return writer.execute(
        "send batch",
        s -> {
          List<SendResult> results = new ArrayList<>(sends.size());
          for (Send send : sends) {
            results.add(writes.send(s, send.message(), send.route()));
          }
          return results;
        });
  }

  @Override
  public Optional<Message> find(MessageId id) {
    long now = clock.millis();
    return readers.read(
        "find",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT "
                      + MessageRows.COLUMNS
                      + " FROM messages m WHERE m.id = ? AND m.expires_at > ?");
          ps.setLong(1, id.value());
          ps.setLong(2, now);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(MessageRows.read(rs, 1)) : Optional.empty();
          }
        });
  }

  /**
   * A probe of the {@code message_blobs} key per candidate, all in one statement. Counts every
   * message still stored, expired or not, as the SPI asks: its rows go when its row does.
   */
  @Override
  public Set<BlobId> referenced(Set<BlobId> blobs) {
    if (blobs.isEmpty()) {
      return Set.of();
    }
    String candidates = Json.strings(blobs.stream().map(BlobId::value).toList());
    return readers.read(
        "referenced",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT DISTINCT blob FROM message_blobs"
                      + " WHERE blob IN (SELECT value FROM json_each(?))");
          ps.setString(1, candidates);
          Set<BlobId> found = new HashSet<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.add(new BlobId(rs.getString(1)));
            }
          }
          return Set.copyOf(found);
        });
  }

  @Override
  public boolean contains(MailboxName mailbox, MessageId id) {
    long now = clock.millis();
    return readers.read(
        "contains",
        c -> {
          // A mailbox name is an agent's or another mailbox's, never both, so only an agent's
          // mailbox can have fan-out rows.
          PreparedStatement ps =
              c.prepare(
                  "SELECT 1 FROM entries WHERE mailbox = ? AND id = ? AND expires_at > ?"
                      + " UNION ALL SELECT 1 FROM fanout WHERE id = ? AND agent = ?"
                      + " AND expires_at > ?");
          ps.setString(1, mailbox.value());
          ps.setLong(2, id.value());
          ps.setLong(3, now);
          ps.setLong(4, id.value());
          ps.setString(5, mailbox.value());
          ps.setLong(6, now);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
          }
        });
  }

  @Override
  public Optional<MailboxInfo> mailbox(MailboxName name) {
    return readers.read(
        "mailbox",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT kind, size, dropped FROM mailboxes WHERE name = ?");
          ps.setString(1, name.value());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new MailboxInfo(
                    name, MailboxKind.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3)));
          }
        });
  }

  /**
   * The mailbox's row gives its counters; the oldest live and oldest unread messages are the first
   * item of a one-item {@link #query}, and the unread count is {@link #unreadCount}'s: each its own
   * read, so the numbers come from snapshots a moment apart.
   *
   * <p>Its pending deliveries are, for an agent's mailbox, every pending delivery of its agent
   * (what its inbox holds: direct messages, broadcasts, and the topic messages its subscriptions
   * bring; a range of the {@code pending} partial indexes of both tables, as {@link
   * SqliteDeliveryStore#pending} reads); for a shared or topic mailbox, the pending {@code fanout}
   * rows of its messages: a walk of the mailbox's entries with a probe of the {@code fanout} key
   * per entry, so it costs as many steps as the mailbox holds messages. Deliveries a version before
   * 5 wrote as subscribers' own entries are not counted there.
   */
  @Override
  public Optional<MailboxStats> mailboxStats(MailboxName name, AgentId reader) {
    Optional<Counters> counters = readers.read("mailbox stats", c -> counters(c, name));
    if (counters.isEmpty()) {
      return Optional.empty();
    }
    Counters n = counters.get();
    return Optional.of(
        new MailboxStats(
            n.info(),
            n.total(),
            n.createdAt(),
            n.lastMessageAt(),
            first(name, reader, MessageFilter.NONE),
            n.pending(),
            unreadCount(name, reader),
            first(name, reader, MessageFilter.UNREAD)));
  }

  /** What a mailbox's statistics read in one statement or two. */
  private record Counters(
      MailboxInfo info,
      long total,
      Instant createdAt,
      Optional<Instant> lastMessageAt,
      long pending) {}

  private Optional<Counters> counters(CachedConnection c, MailboxName name) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT kind, size, dropped, total, created_at, last_message_at FROM mailboxes"
                + " WHERE name = ?");
    ps.setString(1, name.value());
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      MailboxKind kind = MailboxKind.valueOf(rs.getString(1));
      MailboxInfo info = new MailboxInfo(name, kind, rs.getLong(2), rs.getLong(3));
      long last = rs.getLong(6);
      Optional<Instant> lastAt =
          rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last));
      return Optional.of(
          new Counters(
              info,
              rs.getLong(4),
              Instant.ofEpochMilli(rs.getLong(5)),
              lastAt,
              pending(c, name, kind)));
    }
  }

  /** The pending deliveries of a mailbox's messages, as {@link #mailboxStats} counts them. */
  private static long pending(CachedConnection c, MailboxName name, MailboxKind kind)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            kind == MailboxKind.AGENT
                ? "SELECT (SELECT COUNT(*) FROM entries INDEXED BY entries_pending"
                    + " WHERE mailbox = ? AND "
                    + Schema.PENDING
                    + ") + (SELECT COUNT(*) FROM fanout INDEXED BY fanout_pending"
                    + " WHERE agent = ? AND "
                    + Schema.PENDING
                    + ")"
                : "SELECT COUNT(*) FROM entries e CROSS JOIN fanout f ON f.id = e.id"
                    + " WHERE e.mailbox = ? AND f."
                    + Schema.PENDING);
    ps.setString(1, name.value());
    if (kind == MailboxKind.AGENT) {
      ps.setString(2, name.value());
    }
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0L;
    }
  }

  /** The oldest live message of the mailbox that passes {@code filter}, as the reader sees it. */
  private Optional<MessageId> first(MailboxName name, AgentId reader, MessageFilter filter) {
    List<Envelope> items =
        query(new MessageQuery(name, reader, filter, Optional.empty(), Order.ASC, 1)).items();
    return items.stream().findFirst().map(e -> e.message().id());
  }

  @Override
  public Page<Envelope> query(MessageQuery query) {
    long now = clock.millis();
    return readers.read(
        "query",
        c -> {
          // The kind decides which indexes hold the mailbox's entries; no mailbox, no entries.
          Optional<MailboxKind> kind = kind(c, query.mailbox());
          if (kind.isEmpty()) {
            return new Page<Envelope>(List.of(), Optional.empty());
          }
          boolean agent = kind.get() == MailboxKind.AGENT;
          List<Sources.Source> sources = agent ? Sources.of(c, query.mailbox().value()) : List.of();
          Optional<PageQuery> sql =
              sources.size() <= Sources.PER_STATEMENT
                  ? PageQuery.of(query, now, agent, sources)
                  : manySources(c, query, now, sources);
          return sql.isEmpty()
              ? new Page<Envelope>(List.of(), Optional.empty())
              : page(c, sql.get(), query.limit());
        });
  }

  /**
   * The page of an agent's mailbox with more sources than one statement reads: each group of
   * sources (the first with the agent's own entries) gives the ids of its best page, and the page
   * is the best of all of them.
   */
  private static Optional<PageQuery> manySources(
      CachedConnection c, MessageQuery query, long now, List<Sources.Source> sources)
      throws SQLException {
    List<Long> ids = new ArrayList<>();
    List<List<Sources.Source>> groups = Sources.groups(sources);
    for (int g = 0; g < groups.size(); g++) {
      Optional<PageQuery> statement = PageQuery.ids(query, now, true, g == 0, groups.get(g));
      if (statement.isPresent()) {
        PreparedStatement ps = Sql.bind(c.prepare(statement.get().sql()), statement.get().args());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
      }
    }
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    ids.sort(query.order() == Order.ASC ? Comparator.naturalOrder() : Comparator.reverseOrder());
    return Optional.of(
        PageQuery.loadIds(ids.subList(0, Math.min(ids.size(), query.limit() + 1)), query));
  }

  private static Optional<MailboxKind> kind(CachedConnection c, MailboxName mailbox)
      throws SQLException {
    PreparedStatement ps = c.prepare("SELECT kind FROM mailboxes WHERE name = ?");
    ps.setString(1, mailbox.value());
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.of(MailboxKind.valueOf(rs.getString(1))) : Optional.empty();
    }
  }

  private static Page<Envelope> page(CachedConnection c, PageQuery q, int limit)
      throws SQLException {
    PreparedStatement ps = Sql.bind(c.prepare(q.sql()), q.args());
    List<Envelope> items = new ArrayList<>(Math.min(limit, 64));
    int fetched = 0;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        fetched++;
        if (items.size() < limit) {
          items.add(envelope(rs));
        }
      }
    }
    Optional<MessageId> next =
        fetched > limit ? Optional.of(items.getLast().message().id()) : Optional.empty();
    return new Page<>(items, next);
  }

  /**
   * Walks the (thread_id, id) index for the messages naming the thread, and probes the key of its
   * root (named after a message without a thread of its own), merging the two in order.
   */
  @Override
  public Page<Envelope> thread(
      ThreadId thread, AgentId reader, Optional<MessageId> position, Order order, int limit) {
    if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
    long now = clock.millis();
    boolean asc = order == Order.ASC;
    long low = position.filter(p -> asc).map(p -> p.value() + 1).orElse(0L);
    long high = position.filter(p -> !asc).map(p -> p.value() - 1).orElse(Long.MAX_VALUE);
    if (position.isPresent() && asc && position.get().value() == Long.MAX_VALUE) {
      return new Page<>(List.of(), Optional.empty());
    }
    String select =
        "SELECT "
            + MessageRows.COLUMNS
            + ", rs.read_at FROM messages m LEFT JOIN read_state rs ON rs.reader = ? AND rs.id = m.id";
    return readers.read(
        "thread",
        c -> {
          List<Envelope> found = new ArrayList<>(Math.min(limit + 2, 64));
          PreparedStatement named =
              c.prepare(
                  select
                      + " WHERE m.thread_id = ? AND m.id BETWEEN ? AND ? AND +m.expires_at > ?"
                      + " ORDER BY m.id "
                      + (asc ? "ASC" : "DESC")
                      + " LIMIT ?");
          Sql.bind(named, List.of(reader.value(), thread.value(), low, high, now, limit + 1));
          readEnvelopes(named, found);
          Optional<MessageId> root = thread.root();
          if (root.isPresent() && root.get().value() >= low && root.get().value() <= high) {
            PreparedStatement probe =
                c.prepare(select + " WHERE m.id = ? AND m.thread_id IS NULL AND m.expires_at > ?");
            Sql.bind(probe, List.of(reader.value(), root.get().value(), now));
            readEnvelopes(probe, found);
            Comparator<Envelope> byId = Comparator.comparing(e -> e.message().id());
            found.sort(asc ? byId : byId.reversed());
          }
          if (found.size() <= limit) {
            return new Page<>(List.copyOf(found), Optional.empty());
          }
          List<Envelope> items = List.copyOf(found.subList(0, limit));
          return new Page<>(items, Optional.of(items.getLast().message().id()));
        });
  }

  /**
   * Walks the matches newest first ({@link SearchIndex#walk}), keeping the best {@code limit + 1},
   * and stops at the first match too old to rank among them whatever its relevance: its creation
   * time's share of the rank plus the most relevance the query allows is below the worst kept.
   * Recency makes that soon for a query that matches much (its best are recent), so a common word
   * does not cost a rank for every message holding it.
   *
   * <p>The most relevance is read from the first matches themselves ({@link Relevance#ceilingFrom}:
   * the relevance {@code bm25()} gave them, their length as FTS5 counted it and the query's
   * occurrences in their terms), so the search does not count each phrase's documents a second time
   * after {@code bm25()} has; only when none of them can be read that way (FTS5 counted another
   * length than the core tokenizer's) does it count ({@link SearchIndex#ceiling}). Every read is in
   * one read transaction, so all see the same index.
   */
  @Override
  public SearchPage search(SearchRequest request) {
    long now = clock.millis();
    if (request.filter().lowestIdValue() > request.filter().highestIdValue()) {
      return new SearchPage(List.of(), Optional.empty());
    }
    PageQuery q = SearchIndex.walk(request, now);
    int want = request.limit() + 1;
    SearchQuery query = request.query();
    return readers.read(
        "search",
        c -> {
          c.execute("BEGIN");
          try {
            SearchIndex.Averages averages = SearchIndex.averages(c);
            // ln of the most relevance any match can have, once known.
            double most = Double.POSITIVE_INFINITY;
            // Whether further matches cannot lower it: a query of one phrase, read from a match.
            boolean settled = false;
            // The worst kept match first.
            PriorityQueue<Ranked> best = new PriorityQueue<>(want + 1, Ranked.ORDER);
            PreparedStatement ps = Sql.bind(c.prepare(q.sql()), q.args());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long id = rs.getLong(1);
                double time = (double) (id >>> MessageId.SEQUENCE_BITS) * Relevance.PER_MILLI;
                if (best.size() == want) {
                  if (most == Double.POSITIVE_INFINITY && !settled) {
                    // No match told it: count.
                    most = SearchIndex.ceiling(c, query).orElse(most);
                    settled = true;
                  }
                  if (most + RANK_MARGIN + time < best.peek().rank()) {
                    break; // this match and every older one rank below all those kept
                  }
                }
                Ranked match = new Ranked(id, rs.getDouble(2));
                if (best.size() == want && Ranked.ORDER.compare(match, best.peek()) <= 0) {
                  continue;
                }
                if (!settled && best.size() < want) {
                  Envelope e = hit(c, request.reader(), id);
                  most =
                      Math.min(
                          most, mostFrom(c, query, averages, e.message(), match.rank() - time));
                  settled = query.phrases().size() == 1 && most < Double.POSITIVE_INFINITY;
                }
                best.add(match);
                if (best.size() > want) {
                  best.poll();
                }
              }
            }
            List<Ranked> ranked = new ArrayList<>(best);
            ranked.sort(Ranked.ORDER.reversed());
            List<SearchHit> page = new ArrayList<>(request.limit());
            for (Ranked r : ranked.subList(0, Math.min(ranked.size(), request.limit()))) {
              page.add(new SearchHit(hit(c, request.reader(), r.id()), r.rank()));
            }
            return new SearchPage(
                page,
                ranked.size() > request.limit()
                    ? Optional.of(page.getLast().position())
                    : Optional.empty());
          } finally {
            c.execute("COMMIT");
          }
        });
  }

  /**
   * ln of the most relevance any match of {@code query} can have, read from one match ({@link
   * Relevance#ceilingFrom}) whose relevance {@code bm25()} gave as {@code ln(bm25)}; infinite when
   * the match cannot tell: FTS5 counted another length for it than the core tokenizer's terms, or
   * the terms do not hold every phrase, so its occurrences may not be the ones FTS5 saw.
   */
  private static double mostFrom(
      CachedConnection c,
      SearchQuery query,
      SearchIndex.Averages averages,
      Message m,
      double lnBm25)
      throws SQLException {
    List<String> terms = SearchDocument.terms(m);
    OptionalLong length = SearchIndex.length(c, m.id().value());
    int[] occurrences = query.occurrences(terms);
    if (length.isEmpty() || length.getAsLong() != terms.size() || occurrences.length == 0) {
      return Double.POSITIVE_INFINITY;
    }
    // ln(bm25 / least × (k1 + 1)), from ln(bm25) as the rank holds it: no exp() and log() again.
    return lnBm25
        + Math.log(
            Relevance.ceilingFrom(
                1, averages.documents(), averages.terms(), terms.size(), occurrences));
  }

  /**
   * A match the search keeps, before its message is read.
   *
   * @param id the message id
   * @param rank its rank ({@link Relevance})
   */
  private record Ranked(long id, double rank) {
    /** Worst first: rank, then id, both ascending (results go the other way). */
    static final Comparator<Ranked> ORDER =
        Comparator.comparingDouble(Ranked::rank).thenComparingLong(Ranked::id);
  }

  /** A kept match read whole, as the reader sees it. */
  private static Envelope hit(CachedConnection c, AgentId reader, long id) throws SQLException {
    PreparedStatement ps = Sql.bind(c.prepare(SearchIndex.HIT), List.of(reader.value(), id));
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("search hit " + id + " is gone within its read transaction");
      }
      return envelope(rs);
    }
  }

  /**
   * Room for rounding in the ceiling (between SQLite's {@code ln} and Java's, and in taking a
   * match's relevance back out of its rank): ranks are about 2,000 (the time's share), where a
   * double's step is below 1e-12.
   */
  private static final double RANK_MARGIN = 1e-9;

  private static void readEnvelopes(PreparedStatement ps, List<Envelope> into) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        into.add(envelope(rs));
      }
    }
  }

  /** The current row as an envelope: {@link MessageRows#COLUMNS}, then the reader's read time. */
  private static Envelope envelope(ResultSet rs) throws SQLException {
    Message m = MessageRows.read(rs, 1);
    long readAt = rs.getLong(MessageRows.COLUMN_COUNT + 1);
    return new Envelope(
        m, rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(readAt)));
  }

  @Override
  public long unreadCount(MailboxName mailbox, AgentId reader) {
    long now = clock.millis();
    return readers.read(
        "unread count",
        c -> {
          String unread =
              " AND +e.expires_at > ? AND NOT EXISTS (SELECT 1 FROM read_state r"
                  + " WHERE r.reader = ? AND r.id = e.id AND r.read_at IS NOT NULL)";
          List<Sources.Source> sources = Sources.of(c, mailbox.value());
          long count = 0;
          // The own entries with the first group of sources, then a statement per group.
          List<List<Sources.Source>> groups = Sources.groups(sources);
          for (int g = 0; g < groups.size(); g++) {
            StringBuilder sql = new StringBuilder("SELECT 0");
            List<Object> args = new ArrayList<>();
            if (g == 0) {
              sql.append(" + (SELECT COUNT(*) FROM entries e WHERE e.mailbox = ?")
                  .append(unread)
                  .append(')');
              args.addAll(List.of(mailbox.value(), now, reader.value()));
            }
            for (Sources.Source source : groups.get(g)) {
              sql.append(" + (SELECT COUNT(*) FROM entries e")
                  .append(" CROSS JOIN fanout f ON f.id = e.id AND f.agent = ?")
                  .append(" WHERE e.mailbox = ? AND e.id >= ?")
                  .append(unread)
                  .append(')');
              args.addAll(
                  List.of(mailbox.value(), source.mailbox(), source.since(), now, reader.value()));
            }
            try (ResultSet rs = Sql.bind(c.prepare(sql.toString()), args).executeQuery()) {
              count += rs.next() ? rs.getLong(1) : 0L;
            }
          }
          return count;
        });
  }

  @Override
  public boolean markRead(MessageId id, AgentId reader) {
    return writer.execute("mark read", s -> writes.markRead(s, id, reader));
  }

  @Override
  public boolean markUnread(MessageId id, AgentId reader) {
    return writer.execute("mark unread", s -> writes.markUnread(s, id, reader));
  }

  @Override
  public List<ReadReceipt> readers(MessageId id, Optional<ReadReceipt> after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    long now = clock.millis();
    // Read times are epoch milliseconds and ids ASCII compared as bytes, as ReadReceipt.ORDER.
    long afterAt = after.map(r -> r.readAt().toEpochMilli()).orElse(Long.MIN_VALUE);
    String afterReader = after.map(r -> r.reader().value()).orElse("");
    return readers.read(
        "readers",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT r.reader, r.read_at FROM read_state r"
                      + " WHERE r.id = ? AND r.read_at IS NOT NULL"
                      + " AND (r.read_at > ? OR (r.read_at = ? AND r.reader > ?))"
                      + " AND EXISTS (SELECT 1 FROM messages m WHERE m.id = ? AND m.expires_at > ?)"
                      + " ORDER BY r.read_at, r.reader LIMIT ?");
          ps.setLong(1, id.value());
          ps.setLong(2, afterAt);
          ps.setLong(3, afterAt);
          ps.setString(4, afterReader);
          ps.setLong(5, id.value());
          ps.setLong(6, now);
          ps.setInt(7, limit);
          List<ReadReceipt> receipts = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              receipts.add(
                  new ReadReceipt(
                      AgentId.of(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2))));
            }
          }
          return receipts;
        });
  }

  /**
   * Purges in chunks of {@link #PURGE_CHUNK} rows (and, for messages, about {@link #PURGE_ENTRIES}
   * entries), each its own writer task, so sends queued behind the cleaner wait for one short
   * chunk, not for the whole pass. The pass also deletes the expired console sessions ({@link
   * SqliteAgentStore#deleteExpiredSessions(WriteSession, Instant, int)}), which the report does not
   * count.
   */
  @Override
  public CleanupReport purgeExpired(int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("max rows must be at least 1");
    }
    Chunked messages =
        chunked(maxRows, "purge messages", (s, max) -> writes.purgeMessages(s, max, PURGE_ENTRIES));
    Chunked reads = chunked(maxRows, "purge read state", rows(writes::purgeReadStates));
    Chunked keys = chunked(maxRows, "purge idempotency keys", rows(writes::purgeIdempotencyKeys));
    Instant now = clock.instant();
    Chunked sessions =
        chunked(
            maxRows,
            "purge console sessions",
            rows((s, max) -> SqliteAgentStore.deleteExpiredSessions(s, now, max)));
    maybeOptimize();
    return new CleanupReport(
        messages.removed,
        reads.removed,
        keys.removed,
        messages.more || reads.more || keys.more || sessions.more);
  }

  private record Chunked(long removed, boolean more) {}

  @FunctionalInterface
  private interface Purge {
    MessageWrites.Purged run(WriteSession session, int max) throws SQLException;
  }

  @FunctionalInterface
  private interface RowPurge {
    int run(WriteSession session, int max) throws SQLException;
  }

  /** A purge of up to {@code max} rows, done with this chunk when it removed fewer. */
  private static Purge rows(RowPurge purge) {
    return (s, max) -> {
      int n = purge.run(s, max);
      return new MessageWrites.Purged(n, n == max);
    };
  }

  private Chunked chunked(int maxRows, String operation, Purge purge) {
    long removed = 0;
    int left = maxRows;
    while (left > 0) {
      int chunk = Math.min(left, PURGE_CHUNK);
      MessageWrites.Purged step = writer.execute(operation, s -> purge.run(s, chunk));
      removed += step.removed();
      left -= step.removed();
      if (!step.more()) {
        return new Chunked(removed, false);
      }
    }
    return new Chunked(removed, true);
  }

  /** Refreshes the planner's statistics now and then; cheap when nothing changed much. */
  private void maybeOptimize() {
    Instant now = clock.instant();
    if (now.isBefore(lastOptimize.plus(OPTIMIZE_EVERY))) {
      return;
    }
    lastOptimize = now;
    writer.execute(
        "optimize",
        s -> {
          s.prepare("PRAGMA optimize").execute();
          return null;
        });
  }
}
