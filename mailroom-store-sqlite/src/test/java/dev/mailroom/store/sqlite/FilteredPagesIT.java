package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.Storage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages through a mailbox with random filter combinations, in both orders and with small page
 * sizes, and compares the result with {@link MessageFilter#matches} over every message sent. A
 * fixed seed keeps it reproducible; the jqwik properties in the test kit explore further.
 */
class FilteredPagesIT {
  private static final MailboxName BOX = MailboxName.of("box");

  /** An agent's mailbox: bounded, so its entries are listed without the secondary indexes. */
  private static final MailboxName INBOX = MailboxName.of("inbox");

  private static final AgentId READER = AgentId.of("reader");
  private static final List<AgentId> SENDERS =
      List.of(AgentId.of("a"), AgentId.of("b"), AgentId.of("c"));
  private static final List<Tag> TAGS = List.of(Tag.of("x"), Tag.of("y"), Tag.of("z"));
  private static final List<ContentType> TYPES =
      List.of(ContentType.TEXT_PLAIN, ContentType.APPLICATION_JSON, ContentType.TEXT_MARKDOWN);

  @TempDir Path dir;
  private final TestClock clock = TestClock.atDefaultStart();
  private final Random random = new Random(20300101);
  private final List<Message> sent = new ArrayList<>();
  private final List<Message> sentToInbox = new ArrayList<>();
  private final Set<MessageId> read = new HashSet<>();
  private Storage storage;

  @BeforeEach
  void fillTheMailbox() {
    storage =
        SqliteStorage.open(
            SqliteOptions.of(dir.resolve("mailroom.db")), clock, RetentionPolicy.DEFAULTS);
    Fixtures.createAgent(storage, INBOX.value(), clock.instant());
    for (int i = 0; i < 300; i++) {
      clock.advance(Duration.ofMillis(random.nextInt(3) * 500L));
      OutgoingMessage out = randomMessage(i);
      int where = random.nextInt(10);
      MessageId id;
      if (where < 5) {
        id = storage.messages().send(out, Fixtures.shared(BOX.value())).id();
        sent.add(storage.messages().find(id).orElseThrow());
      } else if (where < 9) {
        id = storage.messages().send(out, Fixtures.agent(INBOX.value())).id();
        sentToInbox.add(storage.messages().find(id).orElseThrow());
      } else {
        id = storage.messages().send(out, Fixtures.shared("elsewhere")).id();
      }
      if (random.nextInt(3) == 0) {
        storage.messages().markRead(id, READER);
        read.add(id);
      }
      if (random.nextInt(10) == 0) {
        storage.messages().markRead(id, AgentId.of("someone-else"));
      }
    }
    // Let the short-lived ones expire.
    clock.advance(Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private OutgoingMessage randomMessage(int i) {
    List<Tag> tags = new ArrayList<>();
    for (Tag t : TAGS) {
      if (random.nextBoolean()) {
        tags.add(t);
      }
    }
    Draft draft =
        new Draft(
            SendMode.DIRECT,
            Optional.of(BOX),
            pick(TYPES),
            Optional.empty(),
            Payload.ofText("m" + i),
            pick(List.of(Priority.values())),
            tags,
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    Duration ttl = random.nextInt(8) == 0 ? Duration.ofSeconds(10) : Duration.ofDays(1);
    return new OutgoingMessage(pick(SENDERS), draft, ttl);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private <T> Optional<T> maybe(List<T> values) {
    return random.nextBoolean() ? Optional.empty() : Optional.of(pick(values));
  }

  private MessageFilter randomFilter(List<Message> sent) {
    Instant first = sent.getFirst().timestamp();
    Instant last = sent.getLast().timestamp();
    long span = Duration.between(first, last).toMillis();
    Optional<Instant> since =
        random.nextInt(3) == 0
            ? Optional.of(first.plusMillis((long) (random.nextDouble() * span)))
            : Optional.empty();
    Optional<Instant> until =
        random.nextInt(3) == 0
            ? Optional.of(first.plusMillis((long) (random.nextDouble() * span)))
            : Optional.empty();
    Optional<MessageId> after =
        random.nextInt(4) == 0 ? Optional.of(pick(sent).id()) : Optional.empty();
    Optional<MessageId> before =
        random.nextInt(4) == 0 ? Optional.of(pick(sent).id()) : Optional.empty();
    Set<Tag> tags = new HashSet<>();
    for (Tag t : TAGS) {
      if (random.nextInt(4) == 0) {
        tags.add(t);
      }
    }
    return new MessageFilter(
        since,
        until,
        after,
        before,
        maybe(SENDERS),
        maybe(List.of(Priority.values())),
        maybe(TYPES),
        tags,
        maybe(List.of(true, false)),
        Optional.empty());
  }

  @Test
  void pagingASharedMailboxWithAnyFilterCombinationReturnsEachMatchOnceInOrder() {
    pageThroughAndCompare(BOX, sent);
  }

  @Test
  void pagingAnAgentMailboxWithAnyFilterCombinationReturnsEachMatchOnceInOrder() {
    pageThroughAndCompare(INBOX, sentToInbox);
  }

  private void pageThroughAndCompare(MailboxName mailbox, List<Message> sent) {
    Instant now = clock.instant();
    for (int round = 0; round < 300; round++) {
      MessageFilter filter = randomFilter(sent);
      Order order = random.nextBoolean() ? Order.ASC : Order.DESC;
      int limit = 1 + random.nextInt(7);
      Comparator<MessageId> byOrder =
          order == Order.ASC ? Comparator.naturalOrder() : Comparator.reverseOrder();
      List<MessageId> expected =
          sent.stream()
              .filter(m -> !m.isExpiredAt(now))
              .filter(m -> filter.matches(m, read.contains(m.id())))
              .map(Message::id)
              .sorted(byOrder)
              .toList();

      List<MessageId> actual = new ArrayList<>();
      Optional<MessageId> position = Optional.empty();
      int pages = 0;
      do {
        Page<Envelope> page =
            storage
                .messages()
                .query(new MessageQuery(mailbox, READER, filter, position, order, limit));
        assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
        for (Envelope e : page.items()) {
          actual.add(e.message().id());
          assertThat(e.isRead()).isEqualTo(read.contains(e.message().id()));
        }
        position = page.next();
        assertThat(++pages).isLessThan(400);
      } while (position.isPresent());

      assertThat(actual).as("filter %s, %s, limit %d", filter, order, limit).isEqualTo(expected);
    }
  }
}
