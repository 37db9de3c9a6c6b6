package dev.mailroom.store.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * The two tables that hold an agent's deliveries, with the same delivery columns ({@code id},
 * {@code subscription}, {@code state}, {@code attempts}, {@code reason}, {@code dead_at}, {@code
 * expires_at}) and their own name for the agent: {@code fanout} rows (a message sent to a shared or
 * topic mailbox, since version 5) and the entries of the agent's own mailbox (a direct message, a
 * broadcast, and fan-outs stored before version 5). A delivery is in exactly one of them, so a
 * write tries one and then the other, and a listing reads both and merges them by id.
 */
enum DeliveryTable {
  FANOUT("fanout", "agent"),
  ENTRIES("entries", "mailbox");

  /** One row of either table: which table, the message's id and the agent. */
  record Row(DeliveryTable table, long id, String owner) {}

  /** Both tables, the one a delivery is likelier to be in first. */
  static final List<DeliveryTable> BOTH = List.of(FANOUT, ENTRIES);

  private final String table;
  private final String owner;

  DeliveryTable(String table, String owner) {
    this.table = table;
    this.owner = owner;
  }

  /**
   * The columns that name a row of this table, for {@link #row}: the message's id, the agent, and
   * the table.
   */
  String rowColumns(String alias) {
    return alias + ".id, " + alias + "." + owner + ", " + ordinal();
  }

  /**
   * The row named by the three columns from {@code first} on, as {@link #rowColumns} gives them.
   */
  static Row row(ResultSet rs, int first) throws SQLException {
    return new Row(values()[rs.getInt(first + 2)], rs.getLong(first), rs.getString(first + 1));
  }

  /** The table's name. */
  String table() {
    return table;
  }

  /** The column naming the agent the delivery is for. */
  String owner() {
    return owner;
  }

  /** The name of one of the table's partial indexes: {@code pending}, {@code dead}, ... */
  String index(String kind) {
    return table + "_" + kind;
  }

  /**
   * One statement over both tables: {@code arm} writes each table's {@code SELECT} (with its own
   * {@code ORDER BY} and {@code LIMIT}, whose parameters come first for {@code FANOUT}), and {@code
   * tail} follows the {@code UNION ALL} of the two, e.g. {@code " ORDER BY 1 LIMIT ?"}.
   */
  static String union(Function<DeliveryTable, String> arm, String tail) {
    return "SELECT * FROM ("
        + arm.apply(FANOUT)
        + ") UNION ALL SELECT * FROM ("
        + arm.apply(ENTRIES)
        + ")"
        + tail;
  }
}
