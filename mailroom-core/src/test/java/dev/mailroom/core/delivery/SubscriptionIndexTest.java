package dev.mailroom.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionIndexTest {
  private static final AgentId ALICE = AgentId.of("alice");
  private static final AgentId BOB = AgentId.of("bob");
  private static final AgentId CAROL = AgentId.of("carol");
  private static final MailboxName GPT4 = MailboxName.of("ai.models.gpt4");

  private final SubscriptionIndex index = new SubscriptionIndex();

  @Test
  void recipientsAreTheAgentsWhosePatternsMatchTheSenderExcluded() {
    index.add(sub("s1", BOB, "ai.models.*", DeliveryMode.REALTIME, MessageFilter.NONE));
    index.add(sub("s2", CAROL, "ai.**", DeliveryMode.POLLING, MessageFilter.NONE));
    index.add(sub("s3", ALICE, "ai.**", DeliveryMode.REALTIME, MessageFilter.NONE));
    index.add(sub("s4", BOB, "ai.other", DeliveryMode.REALTIME, MessageFilter.NONE));

    List<Recipient> recipients = index.recipients(GPT4, ALICE, draft(Priority.NORMAL, Set.of()));

    assertThat(recipients)
        .containsExactlyInAnyOrder(
            new Recipient(BOB, SubscriptionId.of("s1"), true, 100),
            new Recipient(CAROL, SubscriptionId.of("s2"), false, 100));
    assertThat(index.subscriberCount(GPT4)).isEqualTo(3);
  }

  @Test
  void anAgentWithSeveralMatchingSubscriptionsIsReachedOnceThroughAPushingOne() {
    index.add(sub("a-poll", BOB, "ai.**", DeliveryMode.POLLING, MessageFilter.NONE));
    index.add(sub("b-push", BOB, "ai.models.gpt4", DeliveryMode.BATCH, MessageFilter.NONE));
    index.add(sub("c-push", BOB, "ai.models.*", DeliveryMode.REALTIME, MessageFilter.NONE));

    assertThat(index.recipients(GPT4, ALICE, draft(Priority.NORMAL, Set.of())))
        .containsExactly(new Recipient(BOB, SubscriptionId.of("b-push"), true, 100));
  }

  @Test
  void aFilterLetsThroughOnlyWhatItMatches() {
    MessageFilter urgentReviews =
        new MessageFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(ALICE),
            Optional.of(Priority.HIGH),
            Optional.of(ContentType.TEXT_PLAIN),
            Set.of(Tag.of("review")),
            Optional.empty(),
            Optional.empty());
    index.add(sub("s1", BOB, "ai.**", DeliveryMode.REALTIME, urgentReviews));

    assertThat(index.recipients(GPT4, ALICE, draft(Priority.URGENT, Set.of("review", "x"))))
        .hasSize(1);
    assertThat(index.recipients(GPT4, ALICE, draft(Priority.NORMAL, Set.of("review")))).isEmpty();
    assertThat(index.recipients(GPT4, ALICE, draft(Priority.HIGH, Set.of("other")))).isEmpty();
    assertThat(index.recipients(GPT4, CAROL, draft(Priority.HIGH, Set.of("review")))).isEmpty();
  }

  @Test
  void aRemovedSubscriptionNoLongerMatches() {
    Subscription s = sub("s1", BOB, "ai.**", DeliveryMode.REALTIME, MessageFilter.NONE);
    index.add(s);
    index.remove(s);
    assertThat(index.recipients(GPT4, ALICE, draft(Priority.NORMAL, Set.of()))).isEmpty();
    assertThat(index.get(s.id())).isEmpty();
    assertThat(index.of(BOB)).isEmpty();
  }

  private static Subscription sub(
      String id, AgentId agent, String pattern, DeliveryMode mode, MessageFilter filter) {
    return new Subscription(
        SubscriptionId.of(id),
        agent,
        SubscriptionPattern.of(pattern),
        mode,
        filter,
        10,
        Duration.ofSeconds(1),
        100,
        false,
        Instant.EPOCH);
  }

  private static Draft draft(Priority priority, Set<String> tags) {
    return new Draft(
        SendMode.TOPIC,
        Optional.of(GPT4),
        ContentType.TEXT_PLAIN,
        Optional.empty(),
        Payload.of("hi".getBytes(StandardCharsets.UTF_8)),
        priority,
        tags.stream().sorted().map(Tag::of).toList(),
        "{}",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
