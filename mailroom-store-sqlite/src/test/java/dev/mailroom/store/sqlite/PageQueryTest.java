package dev.mailroom.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.Priority;
import dev.mailroom.core.Tag;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageQueryTest {
  private static final MailboxName BOX = MailboxName.of("box");
  private static final AgentId READER = AgentId.of("reader");
  private static final long NOW = 1_000;

  private static MessageQuery query(MessageFilter f, Optional<MessageId> position, Order order) {
    return new MessageQuery(BOX, READER, f, position, order, 50);
  }

  private static MessageFilter filter(
      Optional<Priority> min, Set<Tag> tags, Optional<Boolean> unread) {
    return new MessageFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(AgentId.of("alice")),
        min,
        Optional.of(ContentType.TEXT_PLAIN),
        tags,
        unread,
        Optional.empty());
  }

  private static long placeholders(String sql) {
    return sql.chars().filter(c -> c == '?').count();
  }

  @Test
  void everyPlaceholderHasAnArgument() {
    for (Optional<Priority> min :
        java.util.List.of(Optional.<Priority>empty(), Optional.of(Priority.NORMAL))) {
      for (Optional<Boolean> unread :
          java.util.List.of(Optional.<Boolean>empty(), Optional.of(true), Optional.of(false))) {
        PageQuery q =
            PageQuery.of(
                    query(
                        filter(min, Set.of(Tag.of("a"), Tag.of("b")), unread),
                        Optional.of(MessageId.of(5)),
                        Order.DESC),
                    NOW,
                    false)
                .orElseThrow();

        assertThat(q.args()).hasSize((int) placeholders(q.sql()));
      }
    }
  }

  @Test
  void minimumPriorityBecomesOneBranchPerPriorityAtOrAboveIt() {
    PageQuery q =
        PageQuery.of(
                query(
                    filter(Optional.of(Priority.NORMAL), Set.of(), Optional.empty()),
                    Optional.empty(),
                    Order.ASC),
                NOW,
                false)
            .orElseThrow();

    assertThat(q.sql().split("UNION ALL", -1)).hasSize(3);
    // Each branch is an equality, in id order; the ones the partial index covers repeat its
    // condition so that SQLite may use it.
    assertThat(q.sql())
        .contains("e.priority = 1 AND e.content_type")
        .contains("e.priority = 2 AND e.priority >= 2 AND")
        .contains("e.priority = 3 AND e.priority >= 2 AND")
        .doesNotContain("e.priority >= 1");
  }

  @Test
  void lowestMinimumPriorityIsNoFilterAtAll() {
    PageQuery q =
        PageQuery.of(
                query(
                    filter(Optional.of(Priority.LOW), Set.of(), Optional.empty()),
                    Optional.empty(),
                    Order.ASC),
                NOW,
                false)
            .orElseThrow();

    assertThat(q.sql()).doesNotContain("UNION").doesNotContain("e.priority");
  }

  @Test
  void onlyUnboundedMailboxesAskForTheSecondaryIndexes() {
    MessageQuery q =
        query(
            filter(Optional.of(Priority.HIGH), Set.of(), Optional.empty()),
            Optional.empty(),
            Order.ASC);

    assertThat(PageQuery.of(q, NOW, false).orElseThrow().sql())
        .contains("e.bounded = 0")
        .contains("e.priority >= 2");
    assertThat(PageQuery.of(q, NOW, true).orElseThrow().sql())
        .doesNotContain("bounded")
        .doesNotContain("e.priority >=");
  }

  @Test
  void readOnlyListingsWalkTheReadersRecords() {
    PageQuery q =
        PageQuery.of(
                query(
                    filter(Optional.empty(), Set.of(), Optional.of(false)),
                    Optional.empty(),
                    Order.ASC),
                NOW,
                false)
            .orElseThrow();

    assertThat(q.sql()).contains("FROM read_state r CROSS JOIN entries e");
  }

  @Test
  void theCursorNarrowsTheIdRangeInTheListingsDirection() {
    MessageId position = MessageId.of(100);
    PageQuery asc =
        PageQuery.of(query(MessageFilter.NONE, Optional.of(position), Order.ASC), NOW, false)
            .orElseThrow();
    PageQuery desc =
        PageQuery.of(query(MessageFilter.NONE, Optional.of(position), Order.DESC), NOW, false)
            .orElseThrow();

    assertThat(asc.args()).containsSubsequence(101L, Long.MAX_VALUE);
    assertThat(desc.args()).containsSubsequence(0L, 99L);
  }

  @Test
  void aRangeThatAdmitsNoIdNeedsNoStatement() {
    MessageFilter untilBeforeSince =
        new MessageFilter(
            Optional.of(Instant.ofEpochSecond(100)),
            Optional.of(Instant.ofEpochSecond(50)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Set.of(),
            Optional.empty(),
            Optional.empty());

    assertThat(PageQuery.of(query(untilBeforeSince, Optional.empty(), Order.ASC), NOW, false))
        .isEmpty();
    assertThat(
            PageQuery.of(
                query(MessageFilter.NONE, Optional.of(MessageId.of(0)), Order.DESC), NOW, false))
        .isEmpty();
    assertThat(
            PageQuery.of(
                query(MessageFilter.NONE, Optional.of(MessageId.of(Long.MAX_VALUE)), Order.ASC),
                NOW,
                false))
        .isEmpty();
  }
}
