package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that topics reached from more sources than one SQLite statement reads (a statement reads
 * at most {@link Sources#PER_STATEMENT}, since SQLite allows 500 branches in one compound): its
 * mailbox is listed, counted and bounded across all of them as across a few.
 */
class ManySourcesIT {
  private static final int TOPICS = 5 * Sources.PER_STATEMENT + 50;
  private static final AgentId BOB = AgentId.of("bob");

  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();

  /** Sends one message to each topic (bob subscribed to all) and three directly; returns ids. */
  private List<MessageId> fill(Storage s) {
    Fixtures.createAgent(s, "bob", clock.instant());
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < TOPICS; i++) {
      Route topic =
          new Route.ToMailbox(
              MailboxName.of("t" + i),
              MailboxKind.TOPIC,
              List.of(new Recipient(BOB, SubscriptionId.of("s" + i), true, 10)));
      ids.add(s.messages().send(Fixtures.text("alice", "t" + i, "topic " + i), topic).id());
      if (i % 100 == 50) {
        ids.add(
            s.messages().send(Fixtures.text("alice", "bob", "direct"), Fixtures.agent("bob")).id());
      }
    }
    return ids;
  }

  @Test
  void everySourceIsListedInOrderAndCounted() {
    try (Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("many.db")), clock, RetentionPolicy.DEFAULTS)) {
      List<MessageId> sent = fill(s);

      assertThat(listAll(s, Order.ASC)).containsExactlyElementsOf(sent);
      assertThat(listAll(s, Order.DESC)).containsExactlyElementsOf(sent.reversed());
      assertThat(s.messages().unreadCount(BOB.mailbox(), BOB)).isEqualTo(sent.size());
      s.messages().markRead(sent.get(TOPICS - 1), BOB);
      assertThat(s.messages().unreadCount(BOB.mailbox(), BOB)).isEqualTo(sent.size() - 1);
      assertThat(s.deliveries().pending(BOB, Optional.empty(), 1000)).hasSize(sent.size());
    }
  }

  @Test
  void aFullInboxDropsItsOldestWhicheverSourceItCameFrom() {
    int bound = 100;
    try (Storage s =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("bounded.db")),
            clock,
            RetentionPolicy.DEFAULTS.withMaxInboxSize(bound))) {
      List<MessageId> sent = fill(s);

      assertThat(listAll(s, Order.ASC))
          .containsExactlyElementsOf(sent.subList(sent.size() - bound, sent.size()));
      assertThat(s.messages().mailbox(BOB.mailbox()).orElseThrow().size()).isEqualTo(bound);
      assertThat(s.messages().mailbox(BOB.mailbox()).orElseThrow().dropped())
          .isEqualTo(sent.size() - bound);
    }
  }

  private static List<MessageId> listAll(Storage s, Order order) {
    List<MessageId> ids = new ArrayList<>();
    Optional<MessageId> position = Optional.empty();
    do {
      Page<Envelope> page =
          s.messages()
              .query(new MessageQuery(BOB.mailbox(), BOB, MessageFilter.NONE, position, order, 40));
      page.items().forEach(e -> ids.add(e.message().id()));
      position = page.next();
    } while (position.isPresent());
    return ids;
  }
}
