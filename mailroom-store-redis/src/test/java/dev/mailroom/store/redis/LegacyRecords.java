package dev.mailroom.store.redis;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.Role;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.spi.AgentRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Records as earlier versions of the store wrote them, to show they are still read. */
final class LegacyRecords {
  private LegacyRecords() {}

  /** An agent record of version 1 (before token expiry): id, roles, creation time. */
  static byte[] agentVersionOne(AgentRecord agent) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      string(out, agent.id().value());
      out.writeInt(agent.roles().size());
      for (Role r : agent.roles()) {
        string(out, r.name());
      }
      out.writeLong(agent.createdAt().toEpochMilli());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A message's draft as the store wrote it before attachments: it ends with the idempotency key.
   */
  static byte[] draftBeforeAttachments(Message m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      string(out, m.sender().value());
      string(out, m.mode().wireName());
      optional(out, m.target().map(MailboxName::value));
      string(out, m.contentType().mediaType());
      optional(out, m.language());
      out.writeInt(m.payload().bytes().length);
      out.write(m.payload().bytes());
      out.writeByte(m.priority().ordinal());
      out.writeInt(m.tags().size());
      for (Tag t : m.tags()) {
        string(out, t.value());
      }
      string(out, m.metadata());
      optional(out, m.threadId().map(ThreadId::value));
      out.writeBoolean(m.inReplyTo().isPresent());
      if (m.inReplyTo().isPresent()) {
        out.writeLong(m.inReplyTo().get().value());
      }
      optional(out, m.idempotencyKey());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void optional(DataOutputStream out, Optional<String> s) throws IOException {
    out.writeBoolean(s.isPresent());
    if (s.isPresent()) {
      string(out, s.get());
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
