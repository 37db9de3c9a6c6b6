package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MessageIdGeneratorTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private final AtomicReference<Instant> now = new AtomicReference<>(T);
  private final InstantSource clock = now::get;

  @Test
  void firstIdIsTheLowestOfTheCurrentMillisecond() {
    MessageIdGenerator ids = MessageIdGenerator.startingAfter(clock, MessageId.of(0));

    assertThat(ids.next()).isEqualTo(MessageId.lowestAt(T));
  }

  @Test
  void idsIncreaseByOneWhileTheClockStandsStill() {
    MessageIdGenerator ids = MessageIdGenerator.startingAfter(clock, MessageId.of(0));

    MessageId a = ids.next();
    MessageId b = ids.next();
    MessageId c = ids.next();

    assertThat(b.value()).isEqualTo(a.value() + 1);
    assertThat(c.value()).isEqualTo(b.value() + 1);
    assertThat(c.timestamp()).isEqualTo(T);
  }

  @Test
  void idsFollowTheClockWhenItMovesOn() {
    MessageIdGenerator ids = MessageIdGenerator.startingAfter(clock, MessageId.of(0));
    ids.next();
    now.set(T.plusMillis(5));

    assertThat(ids.next()).isEqualTo(MessageId.lowestAt(T.plusMillis(5)));
  }

  @Test
  void idsKeepIncreasingWhenTheClockGoesBack() {
    MessageIdGenerator ids = MessageIdGenerator.startingAfter(clock, MessageId.of(0));
    MessageId before = ids.next();
    now.set(T.minusSeconds(3600));

    MessageId after = ids.next();

    assertThat(after.value()).isEqualTo(before.value() + 1);
  }

  @Test
  void idsStartAfterTheFloorEvenIfTheClockIsBehindIt() {
    MessageId floor = MessageId.lowestAt(T.plusSeconds(60));
    MessageIdGenerator ids = MessageIdGenerator.startingAfter(clock, floor);

    assertThat(ids.next()).isGreaterThan(floor);
  }

  @Test
  void burstsBorrowFromTheNextMillisecond() {
    MessageIdGenerator ids = new MessageIdGenerator(clock, MessageId.highestAt(T).value() - 1);

    MessageId last = ids.next();
    MessageId borrowed = ids.next();

    assertThat(last).isEqualTo(MessageId.highestAt(T));
    assertThat(borrowed).isEqualTo(MessageId.lowestAt(T.plusMillis(1)));
  }
}
