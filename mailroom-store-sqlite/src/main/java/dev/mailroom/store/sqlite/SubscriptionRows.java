package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * How a {@link Subscription} maps to a row of {@code subscriptions} and back. Of the filter only
 * the parts a subscription uses are stored (sender, minimum priority, content type, tags; tags
 * sorted and space-separated); the mode by name, the batch window as ISO-8601 text so it comes back
 * exactly, the creation time in epoch milliseconds like every other time in the file.
 */
final class SubscriptionRows {
  private static final Priority[] PRIORITIES = Priority.values();

  static final String COLUMNS =
      "id, agent, pattern, mode, filter_sender, filter_min_priority, filter_content_type,"
          + " filter_tags, batch_size, batch_window, max_queue_size, auto_ack, created_at";

  static final String INSERT =
      "INSERT INTO subscriptions ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";

  private SubscriptionRows() {}

  static void bindInsert(PreparedStatement ps, Subscription sub) throws SQLException {
    MessageFilter f = sub.filter();
    ps.setString(1, sub.id().value());
    ps.setString(2, sub.agent().value());
    ps.setString(3, sub.pattern().value());
    ps.setString(4, sub.mode().name());
    if (f.sender().isPresent()) {
      ps.setString(5, f.sender().get().value());
    } else {
      ps.setNull(5, Types.VARCHAR);
    }
    if (f.minPriority().isPresent()) {
      ps.setInt(6, f.minPriority().get().ordinal());
    } else {
      ps.setNull(6, Types.INTEGER);
    }
    if (f.contentType().isPresent()) {
      ps.setString(7, f.contentType().get().mediaType());
    } else {
      ps.setNull(7, Types.VARCHAR);
    }
    ps.setString(8, MessageRows.encodeTags(f.tags().stream().sorted().toList()));
    ps.setInt(9, sub.batchSize());
    ps.setString(10, sub.batchWindow().toString());
    ps.setInt(11, sub.maxQueueSize());
    ps.setInt(12, sub.autoAck() ? 1 : 0);
    ps.setLong(13, sub.createdAt().toEpochMilli());
  }

  /** Reads the {@link #COLUMNS} starting at column 1. */
  static Subscription read(ResultSet rs) throws SQLException {
    Optional<AgentId> sender = Optional.ofNullable(rs.getString(5)).map(AgentId::of);
    int rank = rs.getInt(6);
    Optional<Priority> minPriority =
        rs.wasNull() ? Optional.empty() : Optional.of(PRIORITIES[rank]);
    Optional<ContentType> contentType =
        Optional.ofNullable(rs.getString(7)).map(ContentType::parse);
    Set<Tag> tags = new HashSet<>(MessageRows.decodeTags(rs.getString(8)));
    MessageFilter filter = MessageFilter.content(sender, minPriority, contentType, tags);
    return new Subscription(
        SubscriptionId.of(rs.getString(1)),
        AgentId.of(rs.getString(2)),
        SubscriptionPattern.of(rs.getString(3)),
        DeliveryMode.valueOf(rs.getString(4)),
        filter,
        rs.getInt(9),
        Duration.parse(rs.getString(10)),
        rs.getInt(11),
        rs.getInt(12) != 0,
        Instant.ofEpochMilli(rs.getLong(13)));
  }
}
