package dev.mailroom.store.sqlite;

import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one SQL statement for a page of a mailbox listing, with its arguments in order.
 *
 * <p>The statement is shaped so that SQLite's planner has no choice to get wrong on a mailbox of
 * millions of entries: every branch is an index range scan in id order that stops after {@code
 * limit + 1} matches.
 *
 * <ul>
 *   <li>Time and id bounds, and the cursor, become one id range on the (mailbox, id) key.
 *   <li>{@code priority >= p} becomes one branch per priority value ({@code priority = q}, on the
 *       partial (mailbox, priority, id) index for the rare high priorities of a shared or topic
 *       mailbox, on the (mailbox, id) key otherwise), each already in id order, merged by a {@code
 *       UNION ALL} that sorts at most four short lists. A plain range on priority would force a
 *       sort of every matching entry, or a scan of the whole mailbox for a rare priority.
 *   <li>The expiry test is written {@code +e.expires_at} so the planner never picks the expiry
 *       index (built for the cleaner) for a listing.
 *   <li>"Read only" ({@code unread=false}) walks the reader's read records, which are keyed by
 *       (reader, id) and so also in id order, and joins the mailbox's entries; "unread only" walks
 *       the mailbox and skips what the reader has read.
 *   <li>Payload columns and the reader's read time are joined only for the rows of the page.
 *   <li>A thread filter probes each walked entry's message by its key. A whole thread, whichever
 *       mailboxes hold it, is {@code MessageStore.thread}, which walks the thread's own index.
 * </ul>
 *
 * @param sql the statement; its result columns are {@link MessageRows#COLUMNS} then {@code read_at}
 * @param args the values of its parameters, in order
 */
record PageQuery(String sql, List<Object> args) {

  /**
   * The statement for {@code q} at {@code now}, or empty when no id can match.
   *
   * @param bounded whether the mailbox is a bounded (agent) one, whose entries the secondary
   *     indexes leave out
   */
  static Optional<PageQuery> of(MessageQuery q, long now, boolean bounded) {
    return of(q, now, bounded, List.of());
  }

  /**
   * The statement for {@code q} at {@code now} over the mailbox's own entries and, for an agent's
   * mailbox, its {@code fanout} rows from each of {@code sources}; or empty when no id can match.
   * At most {@link Sources#PER_STATEMENT} sources: a statement has one branch per source and
   * priority, and SQLite allows 500 in one compound.
   */
  static Optional<PageQuery> of(
      MessageQuery q, long now, boolean bounded, List<Sources.Source> sources) {
    return ids(q, now, bounded, true, sources).map(ids -> load(ids, q));
  }

  /**
   * The statement that finds the ids of a page of {@code q} (at most its limit plus one, in its
   * order): in the mailbox's own entries if {@code own}, and in its rows from each of {@code
   * sources}; or empty when no id can match. A mailbox with more than {@link Sources#PER_STATEMENT}
   * sources takes one such statement per group of them, and {@link #loadIds} of the merged ids.
   */
  static Optional<PageQuery> ids(
      MessageQuery q, long now, boolean bounded, boolean own, List<Sources.Source> sources) {
    if (sources.size() > Sources.PER_STATEMENT) {
      throw new IllegalArgumentException(
          "at most " + Sources.PER_STATEMENT + " sources per statement");
    }
    MessageFilter f = q.filter();
    long low = f.lowestIdValue();
    long high = f.highestIdValue();
    if (q.position().isPresent()) {
      long p = q.position().get().value();
      if (q.order() == Order.ASC) {
        if (p == Long.MAX_VALUE) {
          return Optional.empty();
        }
        low = Math.max(low, p + 1);
      } else {
        high = Math.min(high, p - 1);
      }
    }
    if (high < 0) {
      return Optional.empty();
    }
    List<Scope> scopes = new ArrayList<>();
    if (own && low <= high) {
      scopes.add(new Scope(q.mailbox().value(), bounded, Optional.empty(), low));
    }
    for (Sources.Source source : sources) {
      long from = Math.max(low, source.since());
      if (from <= high) {
        scopes.add(new Scope(source.mailbox(), false, Optional.of(q.mailbox().value()), from));
      }
    }
    if (scopes.isEmpty()) {
      return Optional.empty();
    }
    String direction = direction(q);
    int fetch = q.limit() + 1;
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    List<Optional<Priority>> branches = priorityBranches(f);
    if (scopes.size() == 1 && branches.size() == 1) {
      branch(sql, args, q, scopes.get(0), branches.get(0), high, now, direction, fetch);
    } else {
      int i = 0;
      for (Scope scope : scopes) {
        for (Optional<Priority> priority : branches) {
          sql.append(i++ == 0 ? "" : " UNION ALL ").append("SELECT id FROM (");
          branch(sql, args, q, scope, priority, high, now, direction, fetch);
          sql.append(')');
        }
      }
      sql.append(" ORDER BY 1 ").append(direction).append(" LIMIT ?");
      args.add(fetch);
    }
    return Optional.of(new PageQuery(sql.toString(), List.copyOf(args)));
  }

  /**
   * The page itself: the messages whose ids the statement {@code ids} gives, with the reader's read
   * time, in the query's order.
   */
  static PageQuery load(PageQuery ids, MessageQuery q) {
    List<Object> args = new ArrayList<>(ids.args());
    args.add(q.reader().value());
    return new PageQuery(
        "SELECT "
            + MessageRows.COLUMNS
            + ", rs.read_at FROM ("
            + ids.sql()
            + ") p CROSS JOIN messages m ON m.id = p.id"
            + " LEFT JOIN read_state rs ON rs.reader = ? AND rs.id = p.id"
            + " ORDER BY p.id "
            + direction(q),
        List.copyOf(args));
  }

  /** The page of the ids given (found by several {@link #ids} statements and merged). */
  static PageQuery loadIds(List<Long> ids, MessageQuery q) {
    StringBuilder json = new StringBuilder("[");
    for (long id : ids) {
      json.append(json.length() > 1 ? "," : "").append(id);
    }
    return load(
        new PageQuery("SELECT value AS id FROM json_each(?)", List.of(json.append(']').toString())),
        q);
  }

  private static String direction(MessageQuery q) {
    return q.order() == Order.ASC ? "ASC" : "DESC";
  }

  /**
   * Where one branch reads: the entries of {@code mailbox} from id {@code low} on, and, for an
   * agent's source, only those with a {@code fanout} row for {@code agent}.
   */
  private record Scope(String mailbox, boolean bounded, Optional<String> agent, long low) {}

  /**
   * For a source's branch, joins the agent's {@code fanout} row of each id the walk on {@code
   * walked} finds (looked up by its key), so only the source's entries the agent got remain.
   */
  private static void fanout(StringBuilder sql, List<Object> args, Scope scope, String walked) {
    if (scope.agent().isPresent()) {
      sql.append(" CROSS JOIN fanout f ON f.id = ").append(walked).append(".id AND f.agent = ?");
      args.add(scope.agent().get());
    }
  }

  /** One branch per priority at or above the minimum, or one unconstrained branch. */
  private static List<Optional<Priority>> priorityBranches(MessageFilter f) {
    Priority min = f.minPriority().orElse(Priority.LOW);
    if (min == Priority.LOW) {
      return List.of(Optional.empty());
    }
    List<Optional<Priority>> branches = new ArrayList<>();
    for (Priority p : Priority.values()) {
      if (p.compareTo(min) >= 0) {
        branches.add(Optional.of(p));
      }
    }
    return branches;
  }

  private static void branch(
      StringBuilder sql,
      List<Object> args,
      MessageQuery q,
      Scope scope,
      Optional<Priority> priority,
      long high,
      long now,
      String direction,
      int fetch) {
    MessageFilter f = q.filter();
    boolean bounded = scope.bounded();
    boolean readOnly = f.unread().isPresent() && !f.unread().get();
    if (readOnly) {
      sql.append("SELECT e.id AS id FROM read_state r CROSS JOIN entries e")
          .append(" ON e.mailbox = ? AND e.id = r.id");
      args.add(scope.mailbox());
      fanout(sql, args, scope, "r");
      sql.append(" WHERE r.reader = ? AND r.id BETWEEN ? AND ? AND r.read_at IS NOT NULL");
      args.add(q.reader().value());
    } else {
      sql.append("SELECT e.id AS id FROM entries e");
      fanout(sql, args, scope, "e");
      sql.append(" WHERE e.mailbox = ? AND e.id BETWEEN ? AND ?");
      args.add(scope.mailbox());
    }
    args.add(scope.low());
    args.add(high);
    sql.append(" AND +e.expires_at > ?");
    args.add(now);
    if (!bounded) {
      // Repeats the secondary indexes' condition so that SQLite may use them (see below).
      sql.append(" AND e.").append(Schema.UNBOUNDED_ENTRY);
    }
    if (f.sender().isPresent()) {
      sql.append(" AND e.sender = ?");
      args.add(f.sender().get().value());
    }
    if (priority.isPresent()) {
      // Literals, not parameters (they are enum ranks, never caller text): SQLite uses a partial
      // index only when the statement contains the index's condition word for word, so the
      // branches the index covers repeat it.
      sql.append(" AND e.priority = ").append(priority.get().ordinal());
      if (!bounded && priority.get().compareTo(Schema.INDEXED_PRIORITY) >= 0) {
        sql.append(" AND e.priority >= ").append(Schema.INDEXED_PRIORITY.ordinal());
      }
    }
    if (f.contentType().isPresent()) {
      sql.append(" AND e.content_type = ?");
      args.add(f.contentType().get().mediaType());
    }
    for (Tag tag : f.tags().stream().sorted().toList()) {
      sql.append(" AND instr(e.tags, ?) > 0");
      args.add(MessageRows.tagNeedle(tag));
    }
    if (f.thread().isPresent()) {
      // A probe of the message's key per entry walked; the thread's root names no thread.
      sql.append(
          " AND EXISTS (SELECT 1 FROM messages t WHERE t.id = e.id"
              + " AND (t.thread_id = ? OR (t.id = ? AND t.thread_id IS NULL)))");
      args.add(f.thread().get().value());
      args.add(f.thread().get().root().map(MessageId::value).orElse(-1L));
    }
    if (f.unread().isPresent() && f.unread().get()) {
      sql.append(
          " AND NOT EXISTS (SELECT 1 FROM read_state u"
              + " WHERE u.reader = ? AND u.id = e.id AND u.read_at IS NOT NULL)");
      args.add(q.reader().value());
    }
    sql.append(readOnly ? " ORDER BY r.id " : " ORDER BY e.id ")
        .append(direction)
        .append(" LIMIT ?");
    args.add(fetch);
  }
}
