package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.Envelope;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.Priority;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cursor paging: every match exactly once, in order, with a cursor exactly when more follow. */
abstract class PaginationRules extends ContractRules {

  PaginationRules(StorageFixture fixture) {
    super(fixture);
  }

  /** Sends {@code n} messages to {@code mailbox}, 1 ms apart, and returns their ids. */
  private List<MessageId> sendMany(String mailbox, int n) {
    List<MessageId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(sent(from("s" + (i % 3)).to(mailbox).tags(i % 2 == 0 ? "even" : "odd")));
      tick(1);
    }
    return ids;
  }

  private Page<Envelope> page(
      String mailbox, MessageFilter filter, Optional<MessageId> position, Order order, int limit) {
    return messages().query(query(mailbox, READER, filter, position, order, limit));
  }

  @Test
  void pagingAscendingReturnsEveryMessageOnceInOrder() {
    List<MessageId> sent = sendMany("box", 50);

    assertThat(ids(listAll("box", READER, MessageFilter.NONE, Order.ASC, 7)))
        .containsExactlyElementsOf(sent);
  }

  @Test
  void pagingDescendingReturnsEveryMessageOnceInReverseOrder() {
    List<MessageId> sent = sendMany("box", 50);

    assertThat(ids(listAll("box", READER, MessageFilter.NONE, Order.DESC, 7)))
        .containsExactlyElementsOf(sent.reversed());
  }

  @Test
  void pagingWithAFilterReturnsEveryMatchOnceInOrder() {
    List<MessageId> sent = sendMany("box", 60);
    List<MessageId> evenFromS0 = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      if (i % 2 == 0 && i % 3 == 0) {
        evenFromS0.add(sent.get(i));
      }
    }
    MessageFilter filter = filter().tags("even").sender("s0").build();

    for (int size : new int[] {1, 2, 3, 4, 10, 1000}) {
      assertThat(ids(listAll("box", READER, filter, Order.ASC, size)))
          .as("page size %d", size)
          .containsExactlyElementsOf(evenFromS0);
      assertThat(ids(listAll("box", READER, filter, Order.DESC, size)))
          .as("page size %d, descending", size)
          .containsExactlyElementsOf(evenFromS0.reversed());
    }
  }

  @Test
  void pagingOneAtATimeVisitsEachMessage() {
    List<MessageId> sent = sendMany("box", 5);

    assertThat(ids(listAll("box", READER, MessageFilter.NONE, Order.ASC, 1)))
        .containsExactlyElementsOf(sent);
  }

  @Test
  void pageHasACursorExactlyWhenMoreFollow() {
    List<MessageId> sent = sendMany("box", 11);

    Page<Envelope> first = page("box", MessageFilter.NONE, Optional.empty(), Order.ASC, 10);
    Page<Envelope> second = page("box", MessageFilter.NONE, first.next(), Order.ASC, 10);

    assertThat(ids(first.items())).containsExactlyElementsOf(sent.subList(0, 10));
    assertThat(first.next()).isPresent();
    assertThat(ids(second.items())).containsExactly(sent.get(10));
    assertThat(second.next()).isEmpty();
  }

  @Test
  void exactlyFullLastPageHasNoCursor() {
    sendMany("box", 10);

    Page<Envelope> all = page("box", MessageFilter.NONE, Optional.empty(), Order.ASC, 10);
    Page<Envelope> half = page("box", MessageFilter.NONE, Optional.empty(), Order.ASC, 5);
    Page<Envelope> rest = page("box", MessageFilter.NONE, half.next(), Order.ASC, 5);

    assertThat(all.items()).hasSize(10);
    assertThat(all.next()).isEmpty();
    assertThat(rest.items()).hasSize(5);
    assertThat(rest.next()).isEmpty();
  }

  @Test
  void cursorIgnoresNonMatchingMessagesBeyondTheLastMatch() {
    sendMany("box", 3);
    MessageId urgent = sent(from("s0").to("box").priority(Priority.URGENT));
    sendMany("box", 5);
    MessageFilter filter = filter().minPriority(Priority.URGENT).build();

    Page<Envelope> page = page("box", filter, Optional.empty(), Order.ASC, 1);

    assertThat(ids(page.items())).containsExactly(urgent);
    assertThat(page.next()).isEmpty();
  }

  @Test
  void positionNeedNotBeAnIdInTheMailbox() {
    List<MessageId> sent = sendMany("box", 10);
    MessageId between = MessageId.of(sent.get(4).value() + 1);

    Page<Envelope> ascending =
        page("box", MessageFilter.NONE, Optional.of(between), Order.ASC, 100);
    Page<Envelope> descending =
        page("box", MessageFilter.NONE, Optional.of(between), Order.DESC, 100);

    assertThat(ids(ascending.items())).containsExactlyElementsOf(sent.subList(5, 10));
    assertThat(ids(descending.items())).containsExactlyElementsOf(sent.subList(0, 5).reversed());
  }

  @Test
  void positionIsExclusiveAndCombinesWithIdBounds() {
    List<MessageId> sent = sendMany("box", 10);
    MessageFilter upTo7 = filter().beforeId(sent.get(8)).build();

    Page<Envelope> page = page("box", upTo7, Optional.of(sent.get(2)), Order.ASC, 100);

    assertThat(ids(page.items())).containsExactlyElementsOf(sent.subList(3, 8));
  }

  @Test
  void ascendingPagingPicksUpMessagesSentMeanwhile() {
    List<MessageId> sent = new ArrayList<>(sendMany("box", 6));
    Page<Envelope> first = page("box", MessageFilter.NONE, Optional.empty(), Order.ASC, 4);
    sent.addAll(sendMany("box", 3));

    List<MessageId> seen = new ArrayList<>(ids(first.items()));
    seen.addAll(ids(pagesFrom(first.next(), Order.ASC)));

    assertThat(seen).containsExactlyElementsOf(sent);
  }

  @Test
  void descendingPagingIsNotDisturbedByMessagesSentMeanwhile() {
    List<MessageId> sent = sendMany("box", 9);
    Page<Envelope> first = page("box", MessageFilter.NONE, Optional.empty(), Order.DESC, 4);
    sendMany("box", 3);

    List<MessageId> seen = new ArrayList<>(ids(first.items()));
    seen.addAll(ids(pagesFrom(first.next(), Order.DESC)));

    assertThat(seen).containsExactlyElementsOf(sent.reversed());
  }

  @Test
  void markingEachPageReadDoesNotSkipUnreadMessages() {
    List<MessageId> sent = sendMany("box", 23);
    MessageFilter unread = filter().unread(true).build();
    Set<MessageId> seen = new HashSet<>();
    List<MessageId> order = new ArrayList<>();
    Optional<MessageId> position = Optional.empty();
    do {
      Page<Envelope> page = page("box", unread, position, Order.ASC, 5);
      for (Envelope e : page.items()) {
        assertThat(seen.add(e.message().id())).isTrue();
        order.add(e.message().id());
        messages().markRead(e.message().id(), READER);
      }
      position = page.next();
    } while (position.isPresent());

    assertThat(order).containsExactlyElementsOf(sent);
    assertThat(messages().unreadCount(box("box"), READER)).isZero();
  }

  private List<Envelope> pagesFrom(Optional<MessageId> position, Order order) {
    List<Envelope> all = new ArrayList<>();
    while (position.isPresent()) {
      Page<Envelope> page = page("box", MessageFilter.NONE, position, order, 4);
      all.addAll(page.items());
      position = page.next();
    }
    return all;
  }
}
