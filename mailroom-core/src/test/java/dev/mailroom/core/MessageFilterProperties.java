package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The id range that {@link MessageFilter#lowestIdValue()} and {@link
 * MessageFilter#highestIdValue()} compute (and that stores use to turn time and id bounds into one
 * index range) agrees with the plain reading of the bounds.
 */
class MessageFilterProperties {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Provide
  Arbitrary<MessageId> ids() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 20),
            Arbitraries.of(0L, 1L, 2L, MessageId.MAX_SEQUENCE - 1, MessageId.MAX_SEQUENCE))
        .as((ms, seq) -> MessageId.of(T.plusMillis(ms), seq));
  }

  @Provide
  Arbitrary<Optional<Instant>> moments() {
    return Arbitraries.integers().between(-2, 22).map(T::plusMillis).optional(0.5);
  }

  @Provide
  Arbitrary<Optional<MessageId>> bounds() {
    return ids().optional(0.5);
  }

  @Property(tries = 2000)
  void idRangeAgreesWithTheBoundsReadOneByOne(
      @ForAll("ids") MessageId id,
      @ForAll("moments") Optional<Instant> since,
      @ForAll("moments") Optional<Instant> until,
      @ForAll("bounds") Optional<MessageId> after,
      @ForAll("bounds") Optional<MessageId> before) {
    MessageFilter f =
        new MessageFilter(
            since,
            until,
            after,
            before,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Set.of(),
            Optional.empty(),
            Optional.empty());
    Instant ts = id.timestamp();
    boolean plain =
        since.map(s -> !ts.isBefore(s)).orElse(true)
            && until.map(u -> !ts.isAfter(u)).orElse(true)
            && after.map(a -> id.compareTo(a) > 0).orElse(true)
            && before.map(b -> id.compareTo(b) < 0).orElse(true);

    boolean inRange = f.lowestIdValue() <= id.value() && id.value() <= f.highestIdValue();

    assertThat(inRange).isEqualTo(plain);
    assertThat(f.matches(message(id), false)).isEqualTo(plain);
  }

  private static Message message(MessageId id) {
    return new Message(
        id,
        AgentId.of("a"),
        SendMode.DIRECT,
        Optional.of(MailboxName.of("box")),
        ContentType.TEXT_PLAIN,
        Optional.empty(),
        Payload.ofText("x"),
        Priority.NORMAL,
        List.of(),
        "{}",
        id.timestamp().plus(Duration.ofDays(1)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        1);
  }
}
