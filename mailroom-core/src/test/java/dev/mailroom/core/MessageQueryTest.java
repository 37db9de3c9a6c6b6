package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageQueryTest {
  private static final MailboxName BOX = MailboxName.of("box");
  private static final AgentId READER = AgentId.of("r");

  private static MessageQuery query(Optional<MessageId> position, Order order, int limit) {
    return new MessageQuery(BOX, READER, MessageFilter.NONE, position, order, limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 50, MessageQuery.MAX_LIMIT})
  void limitFromOneToTheMaximumIsAccepted(int limit) {
    assertThat(query(Optional.empty(), Order.ASC, limit).limit()).isEqualTo(limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, MessageQuery.MAX_LIMIT + 1})
  void otherLimitsAreRefused(int limit) {
    assertThatThrownBy(() -> query(Optional.empty(), Order.ASC, limit))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit"));
  }

  @Test
  void defaultLimitIsFifty() {
    assertThat(MessageQuery.DEFAULT_LIMIT).isEqualTo(50);
  }

  @Test
  void withoutPositionEveryIdIsPastIt() {
    assertThat(query(Optional.empty(), Order.ASC, 1).isPastPosition(MessageId.of(0))).isTrue();
    assertThat(query(Optional.empty(), Order.DESC, 1).isPastPosition(MessageId.of(0))).isTrue();
  }

  @Test
  void ascendingContinuesWithLargerIds() {
    MessageQuery q = query(Optional.of(MessageId.of(10)), Order.ASC, 1);

    assertThat(q.isPastPosition(MessageId.of(11))).isTrue();
    assertThat(q.isPastPosition(MessageId.of(10))).isFalse();
    assertThat(q.isPastPosition(MessageId.of(9))).isFalse();
  }

  @Test
  void descendingContinuesWithSmallerIds() {
    MessageQuery q = query(Optional.of(MessageId.of(10)), Order.DESC, 1);

    assertThat(q.isPastPosition(MessageId.of(9))).isTrue();
    assertThat(q.isPastPosition(MessageId.of(10))).isFalse();
    assertThat(q.isPastPosition(MessageId.of(11))).isFalse();
  }
}
