package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final MailboxName BOX = MailboxName.of("box");
  private static final AgentId READER = AgentId.of("reader");

  private static MessageFilter since(Optional<Instant> since) {
    return new MessageFilter(
        since,
        Optional.of(NOW),
        Optional.empty(),
        Optional.empty(),
        Optional.of(AgentId.of("alice")),
        Optional.of(Priority.HIGH),
        Optional.of(ContentType.TEXT_PLAIN),
        Set.of(Tag.of("t")),
        Optional.of(true),
        Optional.empty());
  }

  private static Listing listing(MessageFilter filter, Optional<Duration> maxAge) {
    return new Listing(filter, maxAge, Optional.of(MessageId.of(77)), Order.DESC, 25);
  }

  @Test
  void withoutMaxAgeTheFilterIsUnchanged() {
    MessageFilter filter = since(Optional.empty());

    MessageQuery q = listing(filter, Optional.empty()).toQuery(BOX, READER, NOW);

    assertThat(q)
        .isEqualTo(
            new MessageQuery(BOX, READER, filter, Optional.of(MessageId.of(77)), Order.DESC, 25));
  }

  @Test
  void maxAgeBecomesALowerTimeBound() {
    MessageQuery q =
        listing(since(Optional.empty()), Optional.of(Duration.ofHours(1)))
            .toQuery(BOX, READER, NOW);

    assertThat(q.filter()).isEqualTo(since(Optional.of(NOW.minus(Duration.ofHours(1)))));
    assertThat(q.position()).contains(MessageId.of(77));
    assertThat(q.order()).isEqualTo(Order.DESC);
    assertThat(q.limit()).isEqualTo(25);
  }

  @Test
  void laterSinceWinsOverMaxAge() {
    Instant recent = NOW.minusSeconds(60);

    MessageQuery q =
        listing(since(Optional.of(recent)), Optional.of(Duration.ofHours(1)))
            .toQuery(BOX, READER, NOW);

    assertThat(q.filter().since()).contains(recent);
  }

  @Test
  void maxAgeWinsOverEarlierSince() {
    MessageQuery q =
        listing(since(Optional.of(NOW.minus(Duration.ofDays(3)))), Optional.of(Duration.ofHours(1)))
            .toQuery(BOX, READER, NOW);

    assertThat(q.filter().since()).contains(NOW.minus(Duration.ofHours(1)));
  }

  @Test
  void maxAgeReachingBeforeTheEpochMeansEverything() {
    MessageQuery q =
        listing(since(Optional.empty()), Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 2)))
            .toQuery(BOX, READER, NOW);

    assertThat(q.filter().since()).contains(Instant.EPOCH);
    assertThat(q.filter().lowestIdValue()).isZero();
  }

  @Test
  void maxAgeIsResolvedAgainstTheGivenNow() {
    Listing l = listing(since(Optional.empty()), Optional.of(Duration.ofMinutes(5)));

    assertThat(l.toQuery(BOX, READER, NOW).filter().since())
        .isNotEqualTo(l.toQuery(BOX, READER, NOW.plusSeconds(1)).filter().since());
  }

  @Test
  void allIsTheFirstPageOfEverythingOldestFirst() {
    MessageQuery q = Listing.all(50).toQuery(BOX, READER, NOW);

    assertThat(q)
        .isEqualTo(
            new MessageQuery(BOX, READER, MessageFilter.NONE, Optional.empty(), Order.ASC, 50));
  }

  @Test
  void limitIsValidatedWhenTheQueryIsMade() {
    assertThatThrownBy(() -> Listing.all(0).toQuery(BOX, READER, NOW))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit"));
  }
}
