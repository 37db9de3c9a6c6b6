package dev.mailroom.store.redis;

import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }
}
