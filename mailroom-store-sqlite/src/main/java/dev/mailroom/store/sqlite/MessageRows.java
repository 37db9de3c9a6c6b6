package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.blob.Attachment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Message} maps to a row of {@code messages} and back. Enums are stored by stable
 * names (content type by media type, mode by wire name) except priority, stored as its rank so the
 * {@code >=} filter is an integer comparison. Tags are stored space-separated (a tag cannot hold a
 * space) in the sender's order; {@code entries} holds a copy delimited on both sides ({@link
 * #filterTags}) so that a whole-tag test is {@code instr(tags, ' tag ') > 0}. Attachments are
 * stored as JSON ({@link AttachmentColumn}) by {@link #INSERT_ATTACHED} only; {@link #INSERT}
 * leaves the column null, which reads back as none.
 */
final class MessageRows {
  private static final Priority[] PRIORITIES = Priority.values();

  /**
   * The columns {@link #read} expects, in order, for a {@code messages} table aliased {@code m}.
   */
  static final String COLUMNS =
      "m.id, m.sender, m.mode, m.target, m.content_type, m.language, m.payload, m.priority,"
          + " m.tags, m.metadata, m.expires_at, m.thread_id, m.in_reply_to, m.idempotency_key,"
          + " m.recipients, m.attachments";

  static final int COLUMN_COUNT = 16;

  /**
   * The insert of a message without attachments. It names the columns of schema version 1 only, so
   * tests also write it into files of older versions.
   */
  static final String INSERT =
      "INSERT INTO messages (id, sender, mode, target, content_type, language, payload, priority,"
          + " tags, metadata, expires_at, thread_id, in_reply_to, idempotency_key, recipients,"
          + " refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** The insert of a message with attachments. */
  static final String INSERT_ATTACHED =
      "INSERT INTO messages (id, sender, mode, target, content_type, language, payload, priority,"
          + " tags, metadata, expires_at, thread_id, in_reply_to, idempotency_key, recipients,"
          + " refs, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private MessageRows() {}

  /**
   * The insert {@link #bindInsert} binds for {@code m}: {@link #INSERT} unless it has attachments.
   */
  static String insert(Message m) {
    return m.attachments().isEmpty() ? INSERT : INSERT_ATTACHED;
  }

  /** Binds every column of {@link #insert insert(m)}. */
  static void bindInsert(PreparedStatement ps, Message m, int refs) throws SQLException {
    ps.setLong(1, m.id().value());
    ps.setString(2, m.sender().value());
    ps.setString(3, m.mode().wireName());
    setNullable(ps, 4, m.target().map(MailboxName::value));
    ps.setString(5, m.contentType().mediaType());
    setNullable(ps, 6, m.language());
    ps.setBytes(7, m.payload().bytes());
    ps.setInt(8, m.priority().ordinal());
    ps.setString(9, encodeTags(m.tags()));
    ps.setString(10, m.metadata());
    ps.setLong(11, m.expiresAt().toEpochMilli());
    setNullable(ps, 12, m.threadId().map(ThreadId::value));
    if (m.inReplyTo().isPresent()) {
      ps.setLong(13, m.inReplyTo().get().value());
    } else {
      ps.setNull(13, Types.INTEGER);
    }
    setNullable(ps, 14, m.idempotencyKey());
    ps.setInt(15, m.recipients());
    ps.setInt(16, refs);
    if (!m.attachments().isEmpty()) {
      ps.setString(17, AttachmentColumn.encode(m.attachments()));
    }
  }

  /** Reads the {@link #COLUMNS} starting at column {@code first}. */
  static Message read(ResultSet rs, int first) throws SQLException {
    int c = first;
    MessageId id = MessageId.of(rs.getLong(c));
    AgentId sender = AgentId.of(rs.getString(c + 1));
    SendMode mode = SendMode.parse(rs.getString(c + 2));
    Optional<MailboxName> target = Optional.ofNullable(rs.getString(c + 3)).map(MailboxName::of);
    ContentType contentType = ContentType.parse(rs.getString(c + 4));
    Optional<String> language = Optional.ofNullable(rs.getString(c + 5));
    byte[] bytes = rs.getBytes(c + 6);
    Payload payload = Payload.of(bytes == null ? new byte[0] : bytes);
    Priority priority = PRIORITIES[rs.getInt(c + 7)];
    List<Tag> tags = decodeTags(rs.getString(c + 8));
    String metadata = rs.getString(c + 9);
    Instant expiresAt = Instant.ofEpochMilli(rs.getLong(c + 10));
    Optional<ThreadId> threadId = Optional.ofNullable(rs.getString(c + 11)).map(ThreadId::of);
    long inReplyTo = rs.getLong(c + 12);
    Optional<MessageId> parent =
        rs.wasNull() ? Optional.empty() : Optional.of(MessageId.of(inReplyTo));
    Optional<String> key = Optional.ofNullable(rs.getString(c + 13));
    int recipients = rs.getInt(c + 14);
    @Nullable String attached = rs.getString(c + 15);
    List<Attachment> attachments;
    try {
      attachments = attached == null ? List.of() : AttachmentColumn.decode(attached);
    } catch (IllegalArgumentException e) {
      throw new SQLException("message " + id + " has a damaged attachments column", e);
    }
    return new Message(
        id,
        sender,
        mode,
        target,
        contentType,
        language,
        payload,
        priority,
        tags,
        metadata,
        expiresAt,
        threadId,
        parent,
        key,
        recipients,
        attachments);
  }

  static String encodeTags(List<Tag> tags) {
    if (tags.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Tag t : tags) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(t.value());
    }
    return sb.toString();
  }

  /** The tags as {@code entries} stores them: " a b " (just " " when there are none). */
  static String filterTags(List<Tag> tags) {
    return " " + encodeTags(tags) + (tags.isEmpty() ? "" : " ");
  }

  /** The search string that finds {@code tag} in {@link #filterTags}. */
  static String tagNeedle(Tag tag) {
    return " " + tag.value() + " ";
  }

  static List<Tag> decodeTags(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<Tag> tags = new ArrayList<>();
    for (String t : text.split(" ")) {
      tags.add(Tag.of(t));
    }
    return tags;
  }

  private static void setNullable(PreparedStatement ps, int index, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      ps.setString(index, value.get());
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }
}
