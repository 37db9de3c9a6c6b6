package dev.mailroom.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.Limits;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Principal;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Topics and subscriptions on the reference storage: inheritance, permissions, subscriber caps,
 * idle cleanup, and what a publish does with them. Lives in the test kit because core cannot depend
 * on the reference storage.
 */
class TopicAndDeliveryServiceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final TopicSettings DEFAULTS =
      new TopicSettings(Duration.ofDays(7), 100, Duration.ofHours(1));

  private final MutableClock clock = MutableClock.of(START);
  private final Storage storage = InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS);
  private final SubscriptionIndex index = SubscriptionIndex.load(storage.deliveries());
  private final Permissions permissions =
      Permissions.defaults(storage.agents(), storage.messages());
  private final TopicService topics =
      new TopicService(storage, index, clock, DEFAULTS, true, permissions);
  private final DeliveryService deliveries = new DeliveryService(storage, index, topics, clock);
  private final InboxSignals signals = new InboxSignals();
  private final MessageService messages =
      new MessageService(storage, clock, Limits.DEFAULTS, index, topics, signals, permissions);

  {
    storage.listen(
        new NodeViews(index, topics, signals, storage.deliveries(), ChangeListener.NONE));
  }

  private final Principal alice = register("alice", Role.AGENT);
  private final Principal bob = register("bob", Role.AGENT);
  private final Principal root = register("root", Role.ADMIN);

  @AfterEach
  void close() {
    storage.close();
  }

  private Principal register(String id, Role role) {
    storage.agents().create(new AgentRecord(AgentId.of(id), Set.of(role), START), "hash-" + id);
    return new Principal(AgentId.of(id), Set.of(role));
  }

  private static TopicConfig config(String name, Duration retention, Integer max) {
    return new TopicConfig(
        MailboxName.of(name),
        Optional.of("about " + name),
        Optional.ofNullable(retention),
        max == null ? OptionalInt.empty() : OptionalInt.of(max),
        Optional.empty());
  }

  @Test
  void aTopicInheritsEachSettingFromItsNearestConfiguredAncestor() {
    topics.configure(alice, config("ai", Duration.ofDays(2), 10));
    topics.configure(alice, config("ai.models", null, 3));

    TopicSettings gpt4 = topics.settings(MailboxName.of("ai.models.gpt4"));
    assertThat(gpt4.retention()).isEqualTo(Duration.ofDays(2)); // from ai
    assertThat(gpt4.maxSubscribers()).isEqualTo(3); // from ai.models
    assertThat(gpt4.cleanupAfter()).isEqualTo(Duration.ofHours(1)); // server default
    assertThat(topics.settings(MailboxName.of("other"))).isEqualTo(DEFAULTS);
  }

  @Test
  void aPublishWithoutTtlLivesForItsTopicsRetention() {
    topics.configure(alice, config("ai", Duration.ofHours(3), null));
    SendResult sent = messages.send(bob, publish("ai.news"));
    Message m = storage.messages().find(sent.id()).orElseThrow();
    assertThat(m.expiresAt()).isEqualTo(m.timestamp().plus(Duration.ofHours(3)));
  }

  @Test
  void onlyAnAdminChangesOrDeletesAnExistingTopic() {
    assertThat(topics.configure(alice, config("team", null, null))).isTrue();
    assertThatThrownBy(() -> topics.configure(bob, config("team", null, 5)))
        .isInstanceOf(MailroomException.Forbidden.class);
    assertThat(topics.configure(root, config("team", null, 5))).isFalse();
    assertThat(topics.config(MailboxName.of("team")).orElseThrow().maxSubscribers())
        .isEqualTo(OptionalInt.of(5));
    assertThatThrownBy(() -> topics.delete(alice, MailboxName.of("team")))
        .isInstanceOf(MailroomException.Forbidden.class);
    topics.delete(root, MailboxName.of("team"));
    assertThatThrownBy(() -> topics.view(MailboxName.of("team")))
        .isInstanceOf(MailroomException.NotFound.class);
  }

  @Test
  void aTopicAcceptsNoMoreThanItsMaximumOfSubscribers() {
    topics.configure(root, config("small", null, 1));
    deliveries.subscribe(alice, request("small"));
    deliveries.subscribe(alice, request("small")); // the same agent again does not count twice
    assertThatThrownBy(() -> deliveries.subscribe(bob, request("small")))
        .isInstanceOf(MailroomException.Conflict.class)
        .hasMessageContaining("maximum of 1");
  }

  @Test
  void aSubscriptionFilterMayNotSetTimeIdOrReadState() {
    MessageFilter unread =
        new MessageFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Set.of(),
            Optional.of(true),
            Optional.empty()); // read state: for queries only
    DeliveryService.Request r =
        new DeliveryService.Request(
            SubscriptionPattern.of("x"),
            DeliveryMode.REALTIME,
            unread,
            1,
            Duration.ofSeconds(1),
            10,
            false);
    assertThatThrownBy(() -> deliveries.subscribe(alice, r))
        .isInstanceOf(MailroomException.InvalidRequest.class);
  }

  @Test
  void publishesReachSubscribersInboxesAndThePeakIsRecorded() {
    deliveries.subscribe(alice, request("news.*"));
    SendResult sent = messages.send(bob, publish("news.today"));
    assertThat(sent.recipients()).isEqualTo(1);
    assertThat(storage.deliveries().pending(alice.id(), Optional.empty(), 10)).hasSize(1);
    assertThat(topics.view(MailboxName.of("news.today")).stats().messages()).isEqualTo(1);
    deliveries.subscribe(bob, request("news.today"));
    assertThat(topics.view(MailboxName.of("news.today")).peakSubscribers()).isEqualTo(2);
  }

  @Test
  void anIdleTopicWithoutSubscribersIsRemovedAfterItsCleanupPeriod() {
    messages.send(bob, publish("idle.one"));
    messages.send(bob, publish("busy.one"));
    deliveries.subscribe(alice, request("busy.*"));
    clock.advance(Duration.ofMinutes(59));
    assertThat(topics.removeIdle()).isEmpty();
    clock.advance(Duration.ofMinutes(2));
    assertThat(topics.removeIdle()).containsExactly(MailboxName.of("idle.one"));
    assertThat(topics.list()).extracting(v -> v.stats().name().value()).containsExactly("busy.one");
  }

  @Test
  void publishingToAMissingTopicFailsWhenTopicsAreNotCreatedOnPublish() {
    TopicService strict = new TopicService(storage, index, clock, DEFAULTS, false, permissions);
    MessageService service =
        new MessageService(
            storage, clock, Limits.DEFAULTS, index, strict, new InboxSignals(), permissions);
    assertThatThrownBy(() -> service.send(bob, publish("nowhere")))
        .isInstanceOf(MailroomException.NotFound.class);
    strict.configure(alice, config("somewhere", null, null));
    assertThat(service.send(bob, publish("somewhere"))).isInstanceOf(SendResult.Accepted.class);
  }

  private static DeliveryService.Request request(String pattern) {
    return new DeliveryService.Request(
        SubscriptionPattern.of(pattern),
        DeliveryMode.REALTIME,
        MessageFilter.NONE,
        1,
        Duration.ofSeconds(1),
        100,
        false);
  }

  private static Draft publish(String topic) {
    return Draft.text(SendMode.TOPIC, Optional.of(MailboxName.of(topic)), "hello");
  }
}
