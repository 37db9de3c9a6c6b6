package dev.mailroom.testkit;

import static dev.mailroom.testkit.FilterScenario.AGENTS;
import static dev.mailroom.testkit.FilterScenario.BROADCAST;
import static dev.mailroom.testkit.FilterScenario.SHARED;
import static dev.mailroom.testkit.FilterScenario.TOPIC;
import static dev.mailroom.testkit.FilterScenario.UNKNOWN_MAILBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Page;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Replays one {@link FilterScenario} on a reference storage and the storage under test, step by
 * step on one clock, and compares what they answer. Each store's ids are translated to the index of
 * the accepted send they came from, so the stores need not assign the same raw ids. Not
 * thread-safe.
 */
final class ScenarioRun {
  private static final MailboxName SHARED_BOX = MailboxName.of("shared.box");
  private static final MailboxName TOPIC_BOX = MailboxName.of("topic.t");
  private static final MailboxName UNKNOWN_BOX = MailboxName.of("never.used");

  private final MutableClock clock;
  private final boolean dropsForget;
  private final Instant start;
  private final Side reference;
  private final Side subject;
  private int sends;
  private int comparedPages;

  /**
   * @param dropsForget whether agent mailboxes overflow in this run: then a message dropped from
   *     every mailbox it was in may still be found (and marked read) in one store and be gone from
   *     another (the contract leaves open whether such a message outlives its last entry), so
   *     lookups and read marks by id are not compared; listings, counts and deliveries still are
   */
  ScenarioRun(
      MutableClock clock, Instant start, Storage reference, Storage subject, boolean dropsForget) {
    this.dropsForget = dropsForget;
    this.clock = clock;
    this.start = start;
    this.reference = new Side(reference);
    this.subject = new Side(subject);
  }

  /** One store and the ids it assigned, by the index of the accepted send. */
  private static final class Side {
    final Storage storage;
    final List<MessageId> ids = new ArrayList<>();
    final Map<MessageId, Integer> index = new HashMap<>();

    Side(Storage storage) {
      this.storage = storage;
    }

    void accepted(MessageId id) {
      index.put(id, ids.size());
      ids.add(id);
    }

    int indexOf(MessageId id) {
      Integer i = index.get(id);
      assertThat(i).as("id %s was never assigned by this store", id).isNotNull();
      return i;
    }
  }

  int comparedPages() {
    return comparedPages;
  }

  static AgentId agent(int i) {
    return AgentId.of("a" + i);
  }

  void registerAgents() {
    for (int i = 0; i < AGENTS; i++) {
      AgentRecord record = new AgentRecord(agent(i), Set.of(Role.AGENT), clock.instant());
      reference.storage.agents().create(record, "hash-" + i);
      subject.storage.agents().create(record, "hash-" + i);
    }
  }

  void apply(FilterScenario.Step step) {
    switch (step) {
      case FilterScenario.Send s -> send(s);
      case FilterScenario.Mark m -> mark(m);
    }
    clock.advance(Duration.ofMillis(step.advanceMillis()));
  }

  private void send(FilterScenario.Send s) {
    OutgoingMessage message = outgoing(s, sends++);
    Route route = route(s);
    SendResult expected = reference.storage.messages().send(message, route);
    SendResult actual = subject.storage.messages().send(message, route);

    assertThat(actual.getClass()).as("outcome of %s", s).isEqualTo(expected.getClass());
    assertThat(actual.recipients()).as("recipients of %s", s).isEqualTo(expected.recipients());
    if (expected instanceof SendResult.Accepted a) {
      assertThat(((SendResult.Accepted) actual).dropped()).isEqualTo(a.dropped());
      reference.accepted(expected.id());
      subject.accepted(actual.id());
    } else {
      assertThat(subject.indexOf(actual.id()))
          .as("the original of duplicate %s", s)
          .isEqualTo(reference.indexOf(expected.id()));
    }
  }

  private void mark(FilterScenario.Mark m) {
    if (reference.ids.isEmpty()) {
      return;
    }
    int i = m.message() % reference.ids.size();
    AgentId reader = agent(m.reader());
    boolean expected =
        m.read()
            ? reference.storage.messages().markRead(reference.ids.get(i), reader)
            : reference.storage.messages().markUnread(reference.ids.get(i), reader);
    boolean actual =
        m.read()
            ? subject.storage.messages().markRead(subject.ids.get(i), reader)
            : subject.storage.messages().markUnread(subject.ids.get(i), reader);
    if (!dropsForget) {
      assertThat(actual).as("result of %s on message #%d", m, i).isEqualTo(expected);
    }
  }

  private static Route route(FilterScenario.Send s) {
    return switch (s.destination()) {
      case SHARED ->
          new Route.ToMailbox(
              SHARED_BOX, MailboxKind.SHARED, List.of(subscriber(0, true), subscriber(1, false)));
      case TOPIC ->
          new Route.ToMailbox(
              TOPIC_BOX, MailboxKind.TOPIC, List.of(subscriber(1, true), subscriber(2, true)));
      case BROADCAST -> new Route.ToAllAgents(agent(s.sender()));
      default -> new Route.ToMailbox(agent(s.destination()).mailbox(), MailboxKind.AGENT);
    };
  }

  /**
   * An agent subscribed to the shared mailbox or topic, so that agents' listings hold their own
   * mail and what reached them from both, interleaved.
   */
  private static Recipient subscriber(int agent, boolean push) {
    return new Recipient(agent(agent), SubscriptionId.of("s" + agent), push, 1_000);
  }

  private static OutgoingMessage outgoing(FilterScenario.Send s, int n) {
    SendMode mode =
        switch (s.destination()) {
          case TOPIC -> SendMode.TOPIC;
          case BROADCAST -> SendMode.BROADCAST;
          default -> SendMode.DIRECT;
        };
    Optional<MailboxName> target =
        switch (s.destination()) {
          case SHARED -> Optional.of(SHARED_BOX);
          case TOPIC -> Optional.of(TOPIC_BOX);
          case BROADCAST -> Optional.empty();
          default -> Optional.of(agent(s.destination()).mailbox());
        };
    Payload payload =
        switch (s.contentType()) {
          case APPLICATION_JSON -> Payload.ofText("{\"n\":" + n + "}");
          case OCTET_STREAM -> Payload.of(new byte[] {(byte) n, (byte) (n >> 8), 0, -1});
          default -> Payload.ofText("message " + n);
        };
    Duration ttl = Duration.ofMillis(s.ttlMillis());
    Draft draft =
        new Draft(
            mode,
            target,
            s.contentType(),
            s.contentType() == ContentType.TEXT_CODE ? Optional.of("go") : Optional.empty(),
            payload,
            s.priority(),
            s.tags().stream().sorted().map(Tag::of).toList(),
            "{\"n\":" + n + "}",
            Optional.of(ttl),
            Optional.empty(),
            Optional.empty(),
            s.key());
    return new OutgoingMessage(agent(s.sender()), draft, ttl);
  }

  private static List<MailboxName> mailboxes() {
    List<MailboxName> all = new ArrayList<>();
    for (int i = 0; i <= UNKNOWN_MAILBOX; i++) {
      all.add(mailbox(i));
    }
    return all;
  }

  private static MailboxName mailbox(int i) {
    return switch (i) {
      case SHARED -> SHARED_BOX;
      case TOPIC -> TOPIC_BOX;
      case UNKNOWN_MAILBOX -> UNKNOWN_BOX;
      default -> agent(i).mailbox();
    };
  }

  /**
   * Every message is live in both stores or in neither, and unread counts, mailbox sizes and
   * pending deliveries agree.
   */
  void compareVisibility() {
    for (int a = 0; a < AGENTS; a++) {
      AgentId agent = agent(a);
      assertThat(pendingOf(subject, agent))
          .as("pending deliveries of %s", agent)
          .isEqualTo(pendingOf(reference, agent));
      assertThat(subject.storage.messages().mailbox(agent.mailbox()))
          .as("mailbox of %s", agent)
          .isEqualTo(reference.storage.messages().mailbox(agent.mailbox()));
    }
    for (int i = 0; i < reference.ids.size(); i++) {
      Optional<Message> expected = reference.storage.messages().find(reference.ids.get(i));
      Optional<Message> actual =
          subject.storage.messages().find(subject.ids.get(i)).map(this::inReferenceIds);
      if (!dropsForget) {
        assertThat(actual).as("find message #%d", i).isEqualTo(expected);
      }
    }
    for (MailboxName box : mailboxes()) {
      for (int r = 0; r < AGENTS; r++) {
        assertThat(subject.storage.messages().unreadCount(box, agent(r)))
            .as("unread count of %s for %s", box, agent(r))
            .isEqualTo(reference.storage.messages().unreadCount(box, agent(r)));
      }
    }
  }

  /** The pending deliveries of {@code agent} in one store, as send indexes and subscriptions. */
  private static List<String> pendingOf(Side side, AgentId agent) {
    return side.storage.deliveries().pending(agent, Optional.empty(), 10_000).stream()
        .map(d -> side.indexOf(d.message().id()) + "/" + d.subscription().value())
        .toList();
  }

  /** Pages through one listing on both stores, page by page. */
  void compare(FilterScenario.Listing listing) {
    MessageFilter expectedFilter = filter(listing.filter(), reference);
    MessageFilter actualFilter = filter(listing.filter(), subject);
    Optional<MessageId> expectedPosition = Optional.empty();
    Optional<MessageId> actualPosition = Optional.empty();
    for (int page = 0; ; page++) {
      Page<Envelope> expected =
          reference.storage.messages().query(query(listing, expectedFilter, expectedPosition));
      Page<Envelope> actual =
          subject.storage.messages().query(query(listing, actualFilter, actualPosition));
      comparedPages++;
      assertThat(seen(actual, subject))
          .as("page %d of %s with %s", page, listing, expectedFilter)
          .containsExactlyElementsOf(seen(expected, reference));
      assertThat(actual.next().isPresent())
          .as("whether page %d of %s has a next cursor", page, listing)
          .isEqualTo(expected.next().isPresent());
      if (expected.next().isEmpty()) {
        return;
      }
      expectedPosition = expected.next();
      actualPosition = actual.next();
    }
  }

  private MessageQuery query(
      FilterScenario.Listing listing, MessageFilter filter, Optional<MessageId> position) {
    return new MessageQuery(
        mailbox(listing.mailbox()),
        agent(listing.reader()),
        filter,
        position,
        listing.order(),
        listing.pageSize());
  }

  /** A listed message in store-neutral terms. */
  private record Seen(int send, Message message, Optional<Instant> readAt) {}

  private List<Seen> seen(Page<Envelope> page, Side side) {
    return page.items().stream()
        .map(
            e -> {
              int i = side.indexOf(e.message().id());
              return new Seen(i, withId(e.message(), reference.ids.get(i)), e.readAt());
            })
        .toList();
  }

  private Message inReferenceIds(Message m) {
    return withId(m, reference.ids.get(subject.indexOf(m.id())));
  }

  private static Message withId(Message m, MessageId id) {
    return new Message(
        id,
        m.sender(),
        m.mode(),
        m.target(),
        m.contentType(),
        m.language(),
        m.payload(),
        m.priority(),
        m.tags(),
        m.metadata(),
        m.expiresAt(),
        m.threadId(),
        m.inReplyTo(),
        m.idempotencyKey(),
        m.recipients());
  }

  private MessageFilter filter(FilterScenario.Filter f, Side side) {
    return new MessageFilter(
        f.sinceMillis().map(ms -> start.plusMillis(ms)),
        f.untilMillis().map(ms -> start.plusMillis(ms)),
        f.afterId().map(b -> id(b, side)),
        f.beforeId().map(b -> id(b, side)),
        f.sender().map(ScenarioRun::agent),
        f.minPriority(),
        f.contentType(),
        f.tags().stream().map(Tag::of).collect(Collectors.toUnmodifiableSet()),
        f.unread(),
        Optional.empty());
  }

  private MessageId id(FilterScenario.IdBound bound, Side side) {
    if (bound.ofMessage() && !side.ids.isEmpty()) {
      return side.ids.get(bound.message() % side.ids.size());
    }
    Instant t = start.plusMillis(bound.offsetMillis());
    return bound.highest() ? MessageId.highestAt(t) : MessageId.lowestAt(t);
  }
}
