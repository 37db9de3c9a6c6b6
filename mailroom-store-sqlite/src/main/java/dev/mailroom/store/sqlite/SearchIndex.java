package dev.mailroom.store.sqlite;

import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Tag;
import dev.mailroom.core.search.Relevance;
import dev.mailroom.core.search.SearchDocument;
import dev.mailroom.core.search.SearchPosition;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The full-text index: the FTS5 table {@code message_search}, one row per message keyed by the
 * message id (its rowid), holding the message's terms ({@link SearchDocument#indexText}) joined by
 * spaces. The table is contentless ({@code content=''}, {@code contentless_delete=1}): it keeps the
 * inverted index and the counts {@code bm25()} needs, not a second copy of the text. The send
 * writes the row in the message's transaction; a trigger on {@code messages} deletes it whatever
 * deletes the message (expiry, a full inbox, a topic's purge). Snippets are made from the message
 * itself, not from the index.
 */
final class SearchIndex {
  /** The DDL of schema version 9. */
  static final List<String> DDL =
      List.of(
          "CREATE VIRTUAL TABLE message_search USING fts5(text, content='',"
              + " contentless_delete=1, tokenize='unicode61 remove_diacritics 2')",
          """
          CREATE TRIGGER messages_search_removed AFTER DELETE ON messages
          BEGIN
            DELETE FROM message_search WHERE rowid = OLD.id;
          END""");

  private static final String INSERT = "INSERT INTO message_search (rowid, text) VALUES (?, ?)";

  /**
   * One hit read whole: {@link MessageRows#COLUMNS}, then the reader's read time; parameters the
   * reader and the message id.
   */
  static final String HIT =
      "SELECT "
          + MessageRows.COLUMNS
          + ", rs.read_at FROM messages m"
          + " LEFT JOIN read_state rs ON rs.reader = ? AND rs.id = m.id WHERE m.id = ?";

  /** Messages read per statement while filling the index of an upgraded file. */
  private static final int FILL_BATCH = 1000;

  private SearchIndex() {}

  /** Indexes a message just inserted, in the send's transaction. */
  static void insert(WriteSession s, Message m) throws SQLException {
    PreparedStatement ps = s.prepare(INSERT);
    ps.setLong(1, m.id().value());
    ps.setString(2, SearchDocument.indexText(m));
    ps.executeUpdate();
  }

  /** Indexes every message of a file upgraded to version 9, in the migration's transaction. */
  static void fill(CachedConnection c) throws SQLException {
    long after = -1;
    PreparedStatement read =
        c.prepare(
            "SELECT "
                + MessageRows.COLUMNS
                + " FROM messages m WHERE m.id > ? ORDER BY m.id LIMIT "
                + FILL_BATCH);
    PreparedStatement insert = c.prepare(INSERT);
    while (true) {
      read.setLong(1, after);
      int n = 0;
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          Message m = MessageRows.read(rs, 1);
          insert.setLong(1, m.id().value());
          insert.setString(2, SearchDocument.indexText(m));
          insert.executeUpdate();
          after = m.id().value();
          n++;
        }
      }
      if (n < FILL_BATCH) {
        return;
      }
    }
  }

  /**
   * The statement of a search's walk: the FTS5 match ranked by {@link Relevance} in SQL, within the
   * filter's id range, the scope and every other filter tested on the joined message row, newest
   * first. FTS5 gives its rowids in descending order itself, so nothing is sorted and the walk can
   * stop early ({@link SqliteMessageStore#search}). Its result columns are the id and the rank
   * only: the walk reads many more matches than it keeps, and the kept ones are read whole
   * afterwards ({@link #HIT}).
   */
  static PageQuery walk(SearchRequest r, long now) {
    MessageFilter f = r.filter();
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    sql.append("SELECT m.id, h.rank FROM (SELECT rowid AS id,")
        .append(" ln(-bm25(message_search)) + (rowid >> ")
        .append(MessageId.SEQUENCE_BITS)
        .append(") * ? AS rank FROM message_search WHERE message_search MATCH ?")
        .append(" AND rowid BETWEEN ? AND ?) h")
        .append(" JOIN messages m ON m.id = h.id")
        .append(" LEFT JOIN read_state rs ON rs.reader = ? AND rs.id = m.id")
        .append(" WHERE m.expires_at > ? AND m.id BETWEEN ? AND ?");
    args.add(Relevance.PER_MILLI);
    args.add(r.query().fts5());
    args.add(f.lowestIdValue());
    args.add(f.highestIdValue());
    args.add(r.reader().value());
    args.add(now);
    args.add(f.lowestIdValue());
    args.add(f.highestIdValue());
    if (f.sender().isPresent()) {
      sql.append(" AND m.sender = ?");
      args.add(f.sender().get().value());
    }
    if (f.minPriority().isPresent()) {
      sql.append(" AND m.priority >= ?");
      args.add(f.minPriority().get().ordinal());
    }
    if (f.contentType().isPresent()) {
      sql.append(" AND m.content_type = ?");
      args.add(f.contentType().get().mediaType());
    }
    for (Tag tag : f.tags()) {
      sql.append(" AND instr(' ' || m.tags || ' ', ?) > 0");
      args.add(MessageRows.tagNeedle(tag));
    }
    if (f.thread().isPresent()) {
      sql.append(" AND (m.thread_id = ?");
      args.add(f.thread().get().value());
      if (f.thread().get().root().isPresent()) {
        sql.append(" OR (m.thread_id IS NULL AND m.id = ?)");
        args.add(f.thread().get().root().get().value());
      }
      sql.append(")");
    }
    if (f.unread().isPresent()) {
      sql.append(f.unread().get() ? " AND rs.read_at IS NULL" : " AND rs.read_at IS NOT NULL");
    }
    String own = r.reader().mailbox().value();
    if (r.mailbox().isPresent()) {
      // A mailbox name is an agent's or another mailbox's, never both: only an agent's mailbox
      // can have fan-out rows (as contains() reads them).
      sql.append(
          " AND EXISTS (SELECT 1 FROM entries e WHERE e.mailbox = ? AND e.id = m.id"
              + " UNION ALL SELECT 1 FROM fanout o WHERE o.id = m.id AND o.agent = ?)");
      args.add(r.mailbox().get().value());
      args.add(r.mailbox().get().value());
    } else if (!r.everywhere()) {
      sql.append(
          " AND (m.sender = ? OR m.target = ?"
              + " OR (m.target IS NULL AND EXISTS (SELECT 1 FROM entries e"
              + " WHERE e.mailbox = ? AND e.id = m.id))"
              + " OR EXISTS (SELECT 1 FROM mailboxes b WHERE b.name = m.target"
              + " AND b.kind <> 'AGENT'))");
      args.add(r.reader().value());
      args.add(own);
      args.add(own);
    }
    if (r.after().isPresent()) {
      SearchPosition p = r.after().get();
      sql.append(" AND (h.rank < ? OR (h.rank = ? AND h.id < ?))");
      args.add(p.rank());
      args.add(p.rank());
      args.add(p.id().value());
    }
    sql.append(" ORDER BY h.id DESC");
    return new PageQuery(sql.toString(), args);
  }

  /**
   * The most any message of the index can rank for {@code query} at creation time 0, as a
   * logarithm: {@code ln} of {@link Relevance#ceiling} from the counts FTS5's {@code bm25()} uses
   * (the documents and their terms, read from FTS5's averages record, and each phrase's matching
   * documents); empty when some phrase matches nothing, so nothing can match. Read in the walk's
   * transaction, so both see the same index.
   */
  static OptionalDouble ceiling(CachedConnection c, SearchQuery query) throws SQLException {
    Averages averages = averages(c);
    long documents = averages.documents();
    // A phrase in more than half the documents has FTS5's floor IDF, whatever the exact count:
    // counting stops there.
    long enough = documents > 0 ? documents / 2 + 1 : Long.MAX_VALUE;
    long[] matching = new long[query.phrases().size()];
    PreparedStatement count =
        c.prepare(
            "SELECT count(*) FROM (SELECT 1 FROM message_search WHERE message_search MATCH ?"
                + " LIMIT ?)");
    for (int i = 0; i < matching.length; i++) {
      count.setString(1, new SearchQuery(List.of(query.phrases().get(i))).fts5());
      count.setLong(2, enough);
      try (ResultSet rs = count.executeQuery()) {
        matching[i] = rs.next() ? rs.getLong(1) : 0;
      }
      if (matching[i] == 0) {
        return OptionalDouble.empty();
      }
    }
    // The same counts bm25() reads, from the same snapshot: its IDFs are these (or, for a phrase
    // counted to half the documents, the floor both give it).
    return OptionalDouble.of(
        Math.log(
            Relevance.ceiling(
                Math.max(documents, maxMatching(matching)), averages.terms(), matching)));
  }

  private static long maxMatching(long[] matching) {
    long max = 0;
    for (long m : matching) {
      max = Math.max(max, m);
    }
    return max;
  }

  /**
   * FTS5's averages record (rowid 1 of {@code message_search_data}), which {@code bm25()} reads for
   * its document count and average length: the documents, then the terms of the one column.
   */
  static Averages averages(CachedConnection c) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT block FROM message_search_data WHERE id = 1");
    try (ResultSet rs = ps.executeQuery()) {
      byte[] block = rs.next() ? rs.getBytes(1) : null;
      if (block == null || block.length == 0) {
        return new Averages(0, 0);
      }
      int at = varintLength(block, 0);
      return new Averages(varint(block, 0), at < block.length ? varint(block, at) : 0);
    }
  }

  /**
   * How many documents and terms the index holds.
   *
   * @param documents the rows of {@code message_search}
   * @param terms their terms together
   */
  record Averages(long documents, long terms) {}

  /**
   * How many terms FTS5 counted in a message ({@code message_search_docsize}, the length {@code
   * bm25()} reads); empty when the index has no row for it.
   */
  static OptionalLong length(CachedConnection c, long id) throws SQLException {
    PreparedStatement ps = c.prepare("SELECT sz FROM message_search_docsize WHERE id = ?");
    ps.setLong(1, id);
    try (ResultSet rs = ps.executeQuery()) {
      byte[] sz = rs.next() ? rs.getBytes(1) : null;
      return sz == null || sz.length == 0 ? OptionalLong.empty() : OptionalLong.of(varint(sz, 0));
    }
  }

  /** How many bytes the varint at {@code from} takes. */
  private static int varintLength(byte[] b, int from) {
    for (int i = from; i < Math.min(from + 8, b.length); i++) {
      if ((b[i] & 0x80) == 0) {
        return i - from + 1;
      }
    }
    return Math.min(9, b.length - from);
  }

  /** SQLite's varint (big-endian groups of 7 bits, the 9th byte whole), as FTS5 writes it. */
  static long varint(byte[] b) {
    return varint(b, 0);
  }

  /** The varint at {@code from}. */
  static long varint(byte[] b, int from) {
    long v = 0;
    for (int i = from; i < Math.min(from + 8, b.length); i++) {
      v = (v << 7) | (b[i] & 0x7f);
      if ((b[i] & 0x80) == 0) {
        return v;
      }
    }
    return b.length > from + 8 ? (v << 8) | (b[from + 8] & 0xff) : v;
  }
}
