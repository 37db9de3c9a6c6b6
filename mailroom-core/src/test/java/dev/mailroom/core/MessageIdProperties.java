package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class MessageIdProperties {

  @Property
  void textRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
    MessageId id = MessageId.of(value);

    assertThat(MessageId.parse(id.toString())).isEqualTo(id);
    assertThat(MessageId.parse(id.toString().toLowerCase())).isEqualTo(id);
  }

  @Property
  void textOrderIsNumericOrder(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long a,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long b) {
    int byText = MessageId.of(a).toString().compareTo(MessageId.of(b).toString());

    assertThat(Integer.signum(byText)).isEqualTo(Long.signum(Long.compare(a, b)));
  }

  @Property
  void textOrderIsNumericOrderForNeighbours(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long a) {
    assertThat(MessageId.of(a).toString()).isLessThan(MessageId.of(a + 1).toString());
  }
}
