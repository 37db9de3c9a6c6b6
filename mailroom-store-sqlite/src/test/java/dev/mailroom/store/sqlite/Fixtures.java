package dev.mailroom.store.sqlite;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Messages and routes for the tests. */
final class Fixtures {
  static final Duration TTL = Duration.ofDays(7);

  private Fixtures() {}

  static OutgoingMessage text(String sender, String target, String body) {
    return new OutgoingMessage(
        AgentId.of(sender),
        Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of(target)), body),
        TTL);
  }

  static OutgoingMessage withKey(String sender, String target, String body, String key) {
    return new OutgoingMessage(AgentId.of(sender), draft(target, body, Optional.of(key)), TTL);
  }

  static OutgoingMessage withTtl(String sender, String target, String body, Duration ttl) {
    return new OutgoingMessage(
        AgentId.of(sender),
        Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of(target)), body),
        ttl);
  }

  static Draft draft(String target, String body, Optional<String> key) {
    return new Draft(
        SendMode.DIRECT,
        Optional.of(MailboxName.of(target)),
        ContentType.TEXT_PLAIN,
        Optional.empty(),
        Payload.ofText(body),
        Priority.NORMAL,
        List.of(Tag.of("t")),
        "{}",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        key);
  }

  static Route shared(String name) {
    return new Route.ToMailbox(MailboxName.of(name), MailboxKind.SHARED);
  }

  static Route agent(String name) {
    return new Route.ToMailbox(MailboxName.of(name), MailboxKind.AGENT);
  }

  static void createAgent(Storage storage, String id, Instant at) {
    storage
        .agents()
        .create(new AgentRecord(AgentId.of(id), Set.of(Role.AGENT), at), "hash-of-" + id);
  }
}
