package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.DeliveryMode;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.TopicStore;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The base of every group of the storage contract: access to the fixture and the small vocabulary
 * the tests are written in. Each group is a package-private abstract class that {@link
 * StorageContract} runs as a {@code @Nested} class, so the contract stays one suite in files of
 * readable size.
 */
abstract class ContractRules {
  /** The agent whose read state listings use unless a test names another. */
  static final AgentId READER = AgentId.of("reader");

  private final StorageFixture fixture;

  ContractRules(StorageFixture fixture) {
    this.fixture = fixture;
  }

  final StorageFixture fixture() {
    return fixture;
  }

  final MutableClock clock() {
    return fixture.clock;
  }

  final Instant now() {
    return fixture.clock.instant();
  }

  /** Moves the clock on by {@code millis} milliseconds. */
  final Instant tick(long millis) {
    return fixture.clock.advance(Duration.ofMillis(millis));
  }

  final Storage storage() {
    return fixture.storage();
  }

  final MessageStore messages() {
    return fixture.storage().messages();
  }

  final AgentStore agents() {
    return fixture.storage().agents();
  }

  final DeliveryStore deliveries() {
    return fixture.storage().deliveries();
  }

  final TopicStore topics() {
    return fixture.storage().topics();
  }

  final AccessStore access() {
    return fixture.storage().access();
  }

  final AuditStore audit() {
    return fixture.storage().audit();
  }

  /** Replaces the storage under test with a fresh one keeping to {@code policy}. */
  final void useRetention(RetentionPolicy policy) {
    fixture.open(policy);
  }

  /** Registers an agent (role {@code agent}, token hash {@code hash-<id>}). */
  final AgentId agent(String id) {
    AgentId agent = AgentId.of(id);
    agents().create(new AgentRecord(agent, Set.of(Role.AGENT), now()), "hash-" + id);
    return agent;
  }

  final SendResult send(TestMessage message) {
    return messages().send(message.outgoing(), message.route());
  }

  /** Sends the messages as one batch ({@link MessageStore#sendAll}). */
  final List<SendResult> sendAll(List<TestMessage> batch) {
    return messages()
        .sendAll(batch.stream().map(m -> new MessageStore.Send(m.outgoing(), m.route())).toList());
  }

  /** Sends a message that must be accepted, and returns its id. */
  final MessageId sent(TestMessage message) {
    SendResult result = send(message);
    assertThat(result).isInstanceOf(SendResult.Accepted.class);
    return result.id();
  }

  /**
   * A realtime subscription of {@code agent} to {@code pattern} holding {@code maxQueueSize}
   * deliveries, created now; not saved.
   */
  final Subscription subscription(String id, String agent, String pattern, int maxQueueSize) {
    return new Subscription(
        SubscriptionId.of(id),
        AgentId.of(agent),
        SubscriptionPattern.of(pattern),
        DeliveryMode.REALTIME,
        MessageFilter.NONE,
        1,
        Duration.ofSeconds(1),
        maxQueueSize,
        false,
        now());
  }

  /** How {@code agent} is reached through a pushing subscription that holds {@code max}. */
  static Recipient pushed(String agent, String subscription, int max) {
    return new Recipient(AgentId.of(agent), SubscriptionId.of(subscription), true, max);
  }

  /** How {@code agent} is reached through a pushing subscription with a roomy queue. */
  static Recipient pushed(String agent, String subscription) {
    return pushed(agent, subscription, 1_000);
  }

  /** How {@code agent} is reached through a polling subscription: its inbox only. */
  static Recipient polled(String agent, String subscription) {
    return new Recipient(AgentId.of(agent), SubscriptionId.of(subscription), false, 1_000);
  }

  /** How a direct send or a broadcast reaches {@code agent}, as the listener is told. */
  static Recipient inbox(String agent) {
    return new Recipient(AgentId.of(agent), SubscriptionId.INBOX, true, Integer.MAX_VALUE);
  }

  /** Every pending delivery of {@code agent}. */
  final List<Delivery> pending(String agent) {
    return deliveries().pending(AgentId.of(agent), Optional.empty(), 10_000);
  }

  /** The message ids of every pending delivery of {@code agent}, in the order listed. */
  final List<MessageId> pendingIds(String agent) {
    return pending(agent).stream().map(d -> d.message().id()).toList();
  }

  /** The delivery a store should list for a live message. */
  final Delivery delivery(MessageId id, String agent, SubscriptionId subscription, int attempts) {
    return new Delivery(
        messages().find(id).orElseThrow(), AgentId.of(agent), subscription, attempts);
  }

  static MailboxName box(String name) {
    return MailboxName.of(name);
  }

  static MessageQuery query(
      String mailbox,
      AgentId reader,
      MessageFilter filter,
      Optional<MessageId> position,
      Order order,
      int limit) {
    return new MessageQuery(box(mailbox), reader, filter, position, order, limit);
  }

  /** The first page of a mailbox, oldest first, as {@link #READER} sees it. */
  final Page<Envelope> firstPage(String mailbox, int limit) {
    return messages()
        .query(query(mailbox, READER, MessageFilter.NONE, Optional.empty(), Order.ASC, limit));
  }

  /** Every envelope of a listing, following cursors page by page. */
  final List<Envelope> listAll(
      String mailbox, AgentId reader, MessageFilter filter, Order order, int pageSize) {
    List<Envelope> all = new ArrayList<>();
    Optional<MessageId> position = Optional.empty();
    for (int pages = 0; pages < 100_000; pages++) {
      Page<Envelope> page =
          messages().query(query(mailbox, reader, filter, position, order, pageSize));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(pageSize);
      all.addAll(page.items());
      if (page.next().isEmpty()) {
        return all;
      }
      assertThat(page.items()).as("a page with a next cursor is full").hasSize(pageSize);
      position = page.next();
    }
    return fail("paging did not end");
  }

  /** The ids of every message a filter lets through, oldest first, as {@link #READER} sees it. */
  final List<MessageId> ids(String mailbox, MessageFilter filter) {
    return ids(listAll(mailbox, READER, filter, Order.ASC, MessageQuery.MAX_LIMIT));
  }

  /** The ids of every message in a mailbox, oldest first. */
  final List<MessageId> ids(String mailbox) {
    return ids(mailbox, MessageFilter.NONE);
  }

  static List<MessageId> ids(List<Envelope> envelopes) {
    return envelopes.stream().map(e -> e.message().id()).toList();
  }

  static TestMessage from(String sender) {
    return TestMessage.from(sender);
  }

  static TestMessage from(AgentId sender) {
    return TestMessage.from(sender);
  }

  static FilterBuilder filter() {
    return FilterBuilder.filter();
  }
}
