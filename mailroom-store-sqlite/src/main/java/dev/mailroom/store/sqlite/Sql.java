package dev.mailroom.store.sqlite;

import dev.mailroom.core.MailroomException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small helpers shared by the store classes: work on a connection, and error mapping. */
final class Sql {
  private static final Logger LOG = LoggerFactory.getLogger(Sql.class);

  private Sql() {}

  /** Work on one connection that may fail with an {@link SQLException}. */
  @FunctionalInterface
  interface Work<T, C> {
    T run(C connection) throws SQLException;
  }

  /** Binds {@code args} to the parameters of {@code ps}, in order; returns {@code ps}. */
  static PreparedStatement bind(PreparedStatement ps, List<?> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
    return ps;
  }

  /**
   * The exception a caller sees for a database failure. The SQL error is logged here and never
   * passed on: callers (and through them HTTP clients) learn only that the store is unavailable.
   */
  static MailroomException.Unavailable unavailable(String operation, SQLException e) {
    LOG.error("SQLite {} failed", operation, e);
    return new MailroomException.Unavailable("the message store is unavailable", null);
  }

  static MailroomException.Unavailable closed() {
    return new MailroomException.Unavailable("the message store is closed", null);
  }
}
