package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The message service on the reference storage: routing, limits, threads and the read rules. It
 * lives in the test kit because core cannot depend on the reference storage.
 */
class MessageServiceTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Limits LIMITS =
      new Limits(16, 1024, 8, Duration.ofDays(7), Duration.ofDays(30));

  private final MutableClock clock = MutableClock.of(START);
  private final Storage storage = InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS);
  private final MessageService service = MessageService.create(storage, clock, LIMITS);
  private final Principal alice = register("alice");
  private final Principal bob = register("bob");
  private final Principal carol = register("carol");
  private final Principal root = new Principal(AgentId.of("root"), Set.of(Role.ADMIN));

  @AfterEach
  void closeStorage() {
    storage.close();
  }

  private Principal register(String id, Role... roles) {
    Set<Role> set = roles.length == 0 ? Set.of(Role.AGENT) : Set.of(roles);
    AgentRecord record = new AgentRecord(AgentId.of(id), set, clock.instant());
    storage.agents().create(record, "hash-" + id);
    return record.principal();
  }

  private static Draft direct(String target) {
    return Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of(target)), "hi");
  }

  private static Draft topic(String name) {
    return Draft.text(SendMode.TOPIC, Optional.of(MailboxName.of(name)), "hi");
  }

  private static Draft broadcast() {
    return Draft.text(SendMode.BROADCAST, Optional.empty(), "hi");
  }

  private static Draft with(
      Draft d,
      Optional<Duration> ttl,
      Optional<ThreadId> thread,
      Optional<MessageId> inReplyTo,
      Optional<String> key) {
    return new Draft(
        d.mode(),
        d.target(),
        d.contentType(),
        d.language(),
        d.payload(),
        d.priority(),
        d.tags(),
        d.metadata(),
        ttl,
        thread,
        inReplyTo,
        key);
  }

  private static Draft replyTo(Draft d, MessageId parent) {
    return with(d, d.ttl(), d.threadId(), Optional.of(parent), d.idempotencyKey());
  }

  private static Draft inThread(Draft d, String thread) {
    return with(d, d.ttl(), Optional.of(ThreadId.of(thread)), d.inReplyTo(), d.idempotencyKey());
  }

  private static Draft withTtl(Draft d, Duration ttl) {
    return with(d, Optional.of(ttl), d.threadId(), d.inReplyTo(), d.idempotencyKey());
  }

  private MessageId send(Principal from, Draft draft) {
    return service.send(from, draft).id();
  }

  private Optional<MailboxKind> kindOf(String mailbox) {
    return storage.messages().mailbox(MailboxName.of(mailbox)).map(MailboxInfo::kind);
  }

  @Nested
  class Routing {
    @Test
    void directToARegisteredAgentGoesToItsInbox() {
      MessageId id = send(alice, direct("bob"));

      assertThat(storage.messages().contains(MailboxName.of("bob"), id)).isTrue();
      assertThat(kindOf("bob")).contains(MailboxKind.AGENT);
    }

    @Test
    void directToAnyOtherNameGoesToASharedMailbox() {
      send(alice, direct("team.ops"));
      send(alice, direct("ghost"));

      assertThat(kindOf("team.ops")).contains(MailboxKind.SHARED);
      assertThat(kindOf("ghost")).contains(MailboxKind.SHARED);
    }

    @Test
    void topicSendGoesToTheTopicsHistory() {
      MessageId id = send(alice, topic("ai.models.gpt4"));

      assertThat(kindOf("ai.models.gpt4")).contains(MailboxKind.TOPIC);
      assertThat(storage.messages().contains(MailboxName.of("ai.models.gpt4"), id)).isTrue();
    }

    @Test
    void topicNamedLikeASharedMailboxConflicts() {
      send(alice, direct("news"));

      assertThatThrownBy(() -> service.send(alice, topic("news")))
          .isInstanceOf(MailroomException.Conflict.class);
    }

    @Test
    void directToATopicConflicts() {
      send(alice, topic("news"));

      assertThatThrownBy(() -> service.send(alice, direct("news")))
          .isInstanceOf(MailroomException.Conflict.class);
    }

    @Test
    void topicNamedLikeAnAgentConflicts() {
      assertThatThrownBy(() -> service.send(alice, topic("bob")))
          .isInstanceOf(MailroomException.Conflict.class);
    }

    @Test
    void broadcastReachesEveryAgentButTheSender() {
      SendResult result = service.send(alice, broadcast());

      assertThat(result.recipients()).isEqualTo(2);
      assertThat(storage.messages().contains(MailboxName.of("bob"), result.id())).isTrue();
      assertThat(storage.messages().contains(MailboxName.of("carol"), result.id())).isTrue();
      assertThat(storage.messages().contains(MailboxName.of("alice"), result.id())).isFalse();
    }

    @Test
    void senderIsTheCaller() {
      MessageId id = send(carol, direct("team"));

      assertThat(storage.messages().find(id).orElseThrow().sender()).isEqualTo(carol.id());
    }

    @Test
    void repeatedKeyGivesTheOriginalId() {
      Draft keyed =
          with(
              direct("team"),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.of("k"));
      MessageId first = send(alice, keyed);

      assertThat(service.send(alice, keyed)).isEqualTo(new SendResult.Duplicate(first, 1));
    }
  }

  @Nested
  class LimitsAndDefaults {
    @Test
    void defaultTtlApplies() {
      MessageId id = send(alice, direct("team"));

      assertThat(storage.messages().find(id).orElseThrow().expiresAt())
          .isEqualTo(START.plus(Duration.ofDays(7)));
    }

    @Test
    void askedTtlApplies() {
      MessageId id = send(alice, withTtl(direct("team"), Duration.ofMinutes(3)));

      assertThat(storage.messages().find(id).orElseThrow().expiresAt())
          .isEqualTo(START.plus(Duration.ofMinutes(3)));
    }

    @Test
    void ttlUpToTheMaximumIsAccepted() {
      assertThat(service.send(alice, withTtl(direct("team"), Duration.ofDays(30))))
          .isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void ttlOverTheMaximumIsRefusedAndNothingIsStored() {
      assertThatThrownBy(
              () ->
                  service.send(alice, withTtl(direct("team"), Duration.ofDays(30).plusSeconds(1))))
          .isInstanceOfSatisfying(
              MailroomException.InvalidRequest.class,
              e ->
                  assertThat(e.errors())
                      .extracting(FieldError::field)
                      .containsExactly("ttl_seconds"));
      assertThat(kindOf("team")).isEmpty();
    }

    @Test
    void payloadAtTheLimitIsAccepted() {
      Draft sixteen =
          Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of("team")), "x".repeat(16));

      assertThat(service.send(alice, sixteen)).isInstanceOf(SendResult.Accepted.class);
    }

    @Test
    void payloadOverTheLimitIsRefusedAsTooLargeAndNothingIsStored() {
      Draft seventeen =
          Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of("team")), "x".repeat(17));

      assertThatThrownBy(() -> service.send(alice, seventeen))
          .isInstanceOfSatisfying(
              MailroomException.LimitExceeded.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
      assertThat(kindOf("team")).isEmpty();
    }

    @Test
    void serviceExposesItsLimits() {
      assertThat(service.limits()).isEqualTo(LIMITS);
    }
  }

  @Nested
  class Threads {
    @Test
    void replyJoinsTheThreadOfItsParent() {
      MessageId parent = send(alice, inThread(direct("team"), "plan"));

      MessageId reply = send(bob, replyTo(direct("team"), parent));

      Message m = storage.messages().find(reply).orElseThrow();
      assertThat(m.threadId()).contains(ThreadId.of("plan"));
      assertThat(m.inReplyTo()).contains(parent);
    }

    @Test
    void replyToAnUnthreadedParentStartsAThreadNamedAfterIt() {
      MessageId parent = send(alice, direct("team"));

      MessageId reply = send(bob, replyTo(direct("team"), parent));

      assertThat(storage.messages().find(reply).orElseThrow().threadId())
          .contains(ThreadId.of(parent.toString()));
    }

    @Test
    void replyWithItsOwnThreadKeepsIt() {
      MessageId parent = send(alice, inThread(direct("team"), "plan"));

      MessageId reply = send(bob, inThread(replyTo(direct("team"), parent), "side"));

      assertThat(storage.messages().find(reply).orElseThrow().threadId())
          .contains(ThreadId.of("side"));
    }

    @Test
    void replyToAMessageTheCallerCannotReadDoesNotLearnItsThread() {
      MessageId secret = send(alice, inThread(direct("bob"), "private-plan"));

      MessageId reply = send(carol, replyTo(direct("team"), secret));

      assertThat(storage.messages().find(reply).orElseThrow().threadId())
          .contains(ThreadId.of(secret.toString()));
    }

    @Test
    void replyToAnUnknownMessageStartsAThreadNamedAfterIt() {
      MessageId unknown = MessageId.of(START, 99);

      MessageId reply = send(bob, replyTo(direct("team"), unknown));

      assertThat(storage.messages().find(reply).orElseThrow().threadId())
          .contains(ThreadId.of(unknown.toString()));
    }

    @Test
    void messageWithoutParentHasNoThread() {
      MessageId id = send(alice, direct("team"));

      assertThat(storage.messages().find(id).orElseThrow().threadId()).isEmpty();
    }
  }

  @Nested
  class ReadRules {
    @Test
    void agentReadsItsOwnInbox() {
      MessageId id = send(alice, direct("bob"));

      assertThat(service.get(bob, id).id()).isEqualTo(id);
    }

    @Test
    void anotherAgentsInboxIsForbidden() {
      MessageId id = send(alice, direct("bob"));

      assertThatThrownBy(() -> service.get(carol, id))
          .isInstanceOf(MailroomException.Forbidden.class);
    }

    @Test
    void senderReadsWhatItSent() {
      MessageId id = send(alice, direct("bob"));

      assertThat(service.get(alice, id).id()).isEqualTo(id);
    }

    @Test
    void sharedMailboxesAndTopicsAreReadableByEveryone() {
      MessageId shared = send(alice, direct("team"));
      MessageId topical = send(alice, topic("ai.news"));

      assertThat(service.get(carol, shared).id()).isEqualTo(shared);
      assertThat(service.get(carol, topical).id()).isEqualTo(topical);
    }

    @Test
    void adminReadsEverything() {
      MessageId id = send(alice, direct("bob"));

      assertThat(service.get(root, id).id()).isEqualTo(id);
    }

    @Test
    void broadcastIsReadableByItsRecipientsButNotByLaterAgents() {
      MessageId id = send(alice, broadcast());
      Principal dave = register("dave");

      assertThat(service.get(bob, id).id()).isEqualTo(id);
      assertThatThrownBy(() -> service.get(dave, id))
          .isInstanceOf(MailroomException.Forbidden.class);
    }

    @Test
    void unknownMessageIsNotFound() {
      assertThatThrownBy(() -> service.get(bob, MessageId.of(START, 3)))
          .isInstanceOf(MailroomException.NotFound.class);
    }

    @Test
    void expiredMessageIsNotFound() {
      MessageId id = send(alice, withTtl(direct("bob"), Duration.ofMinutes(1)));
      clock.advance(Duration.ofMinutes(1));

      assertThatThrownBy(() -> service.get(bob, id)).isInstanceOf(MailroomException.NotFound.class);
    }
  }

  @Nested
  class Listings {
    @Test
    void inboxListsTheCallersMailbox() {
      MessageId toBob = send(alice, direct("bob"));
      send(alice, direct("carol"));

      Page<Envelope> page = service.inbox(bob, Listing.all(10));

      assertThat(page.items()).extracting(e -> e.message().id()).containsExactly(toBob);
    }

    @Test
    void inboxUsesTheCallersReadState() {
      MessageId first = send(alice, direct("bob"));
      MessageId second = send(alice, direct("bob"));
      service.markRead(bob, first);
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
              Optional.empty());

      Page<Envelope> page =
          service.inbox(
              bob, new Listing(unread, Optional.empty(), Optional.empty(), Order.ASC, 10));

      assertThat(page.items()).extracting(e -> e.message().id()).containsExactly(second);
    }

    @Test
    void maxAgeIsMeasuredFromTheServicesClock() {
      send(alice, direct("bob"));
      clock.advance(Duration.ofMinutes(10));
      MessageId recent = send(alice, direct("bob"));
      clock.advance(Duration.ofMinutes(1));
      Listing lastFiveMinutes =
          new Listing(
              MessageFilter.NONE,
              Optional.of(Duration.ofMinutes(5)),
              Optional.empty(),
              Order.ASC,
              10);

      assertThat(service.inbox(bob, lastFiveMinutes).items())
          .extracting(e -> e.message().id())
          .containsExactly(recent);
    }

    @Test
    void historyOfASharedMailboxOrTopicIsOpenToEveryone() {
      MessageId shared = send(alice, direct("team"));
      MessageId topical = send(alice, topic("ai.news"));

      assertThat(service.history(carol, MailboxName.of("team"), Listing.all(10)).items())
          .extracting(e -> e.message().id())
          .containsExactly(shared);
      assertThat(service.history(carol, MailboxName.of("ai.news"), Listing.all(10)).items())
          .extracting(e -> e.message().id())
          .containsExactly(topical);
    }

    @Test
    void historyOfTheCallersOwnMailboxIsAllowed() {
      MessageId id = send(alice, direct("bob"));

      assertThat(service.history(bob, MailboxName.of("bob"), Listing.all(10)).items())
          .extracting(e -> e.message().id())
          .containsExactly(id);
    }

    @Test
    void historyOfAnotherAgentsMailboxIsForbiddenExceptToAdmins() {
      MessageId id = send(alice, direct("bob"));

      assertThatThrownBy(() -> service.history(carol, MailboxName.of("bob"), Listing.all(10)))
          .isInstanceOf(MailroomException.Forbidden.class);
      assertThat(service.history(root, MailboxName.of("bob"), Listing.all(10)).items())
          .extracting(e -> e.message().id())
          .containsExactly(id);
    }

    @Test
    void historyOfAnUnknownMailboxIsNotFound() {
      assertThatThrownBy(() -> service.history(bob, MailboxName.of("nowhere"), Listing.all(10)))
          .isInstanceOf(MailroomException.NotFound.class);
    }

    @Test
    void unreadCountIsTheCallers() {
      MessageId first = send(alice, direct("bob"));
      send(alice, direct("bob"));
      service.markRead(bob, first);

      assertThat(service.unreadCount(bob)).isEqualTo(1);
      assertThat(service.unreadCount(carol)).isZero();
    }

    @Test
    void ownMailboxIsTheCallers() {
      send(alice, direct("bob"));

      assertThat(service.ownMailbox(bob))
          .contains(new MailboxInfo(MailboxName.of("bob"), MailboxKind.AGENT, 1, 0));
    }
  }

  @Nested
  class ReadMarks {
    @Test
    void markReadRecordsTheCallerAndTheTime() {
      MessageId id = send(alice, direct("team"));
      clock.advance(Duration.ofSeconds(5));

      service.markRead(carol, id);

      assertThat(service.readers(alice, id))
          .containsExactly(new ReadReceipt(carol.id(), START.plusSeconds(5)));
    }

    @Test
    void markUnreadClearsTheCallersMark() {
      MessageId id = send(alice, direct("bob"));
      service.markRead(bob, id);

      service.markUnread(bob, id);

      assertThat(service.readers(bob, id)).isEmpty();
      assertThat(service.unreadCount(bob)).isEqualTo(1);
    }

    @Test
    void markingAMessageTheCallerMayNotReadIsForbidden() {
      MessageId id = send(alice, direct("bob"));

      assertThatThrownBy(() -> service.markRead(carol, id))
          .isInstanceOf(MailroomException.Forbidden.class);
      assertThatThrownBy(() -> service.markUnread(carol, id))
          .isInstanceOf(MailroomException.Forbidden.class);
      assertThat(storage.messages().readers(id)).isEmpty();
    }

    @Test
    void readersOfAMessageTheCallerMayNotReadAreForbidden() {
      MessageId id = send(alice, direct("bob"));

      assertThatThrownBy(() -> service.readers(carol, id))
          .isInstanceOf(MailroomException.Forbidden.class);
    }

    @Test
    void markingAnUnknownMessageIsNotFound() {
      assertThatThrownBy(() -> service.markRead(bob, MessageId.of(START, 5)))
          .isInstanceOf(MailroomException.NotFound.class);
      assertThatThrownBy(() -> service.markUnread(bob, MessageId.of(START, 5)))
          .isInstanceOf(MailroomException.NotFound.class);
    }

    @Test
    void readersAreListedInReadOrder() {
      MessageId id = send(alice, broadcast());
      service.markRead(carol, id);
      clock.advance(Duration.ofSeconds(1));
      service.markRead(bob, id);

      assertThat(service.readers(root, id))
          .extracting(ReadReceipt::reader)
          .containsExactlyElementsOf(List.of(carol.id(), bob.id()));
    }
  }
}
