package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every filter of a listing, alone and combined, in both orders, on five messages in one shared
 * mailbox sent 10 ms apart:
 *
 * <pre>
 *        at    sender  priority  type       tags             read by READER
 *   m1   t0    alice   low       plain      red              (read by someone else)
 *   m2   t10   bob     normal    json       red blue         yes
 *   m3   t20   alice   high      markdown   -
 *   m4   t30   carol   urgent    plain      blue             yes
 *   m5   t40   bob     high      plain      red blue green
 * </pre>
 */
abstract class QueryingRules extends ContractRules {
  private static final AgentId SOMEONE_ELSE = AgentId.of("someone-else");

  private Instant t0;
  private MessageId m1;
  private MessageId m2;
  private MessageId m3;
  private MessageId m4;
  private MessageId m5;
  private Instant readM2At;

  QueryingRules(StorageFixture fixture) {
    super(fixture);
  }

  @BeforeEach
  void sendFiveMessages() {
    t0 = now();
    m1 = sent(from("alice").to("box").priority(Priority.LOW).tags("red"));
    tick(5);
    sent(from("alice").to("other.box").priority(Priority.URGENT).tags("red"));
    tick(5);
    m2 =
        sent(
            from("bob")
                .to("box")
                .content(ContentType.APPLICATION_JSON, Payload.ofText("{}"))
                .tags("red", "blue"));
    tick(10);
    m3 =
        sent(
            from("alice")
                .to("box")
                .priority(Priority.HIGH)
                .content(ContentType.TEXT_MARKDOWN, Payload.ofText("*hi*")));
    tick(10);
    m4 = sent(from("carol").to("box").priority(Priority.URGENT).tags("blue"));
    tick(10);
    m5 = sent(from("bob").to("box").priority(Priority.HIGH).tags("red", "blue", "green"));
    tick(100);
    readM2At = now();
    messages().markRead(m2, READER);
    tick(100);
    messages().markRead(m4, READER);
    messages().markRead(m1, SOMEONE_ELSE);
  }

  private Instant t(long millis) {
    return t0.plusMillis(millis);
  }

  private List<MessageId> list(FilterBuilder filter) {
    return ids("box", filter.build());
  }

  private List<MessageId> listDescending(FilterBuilder filter) {
    return ids(listAll("box", READER, filter.build(), Order.DESC, 1000));
  }

  @Test
  void noFilterListsEveryMessageOldestFirst() {
    assertThat(ids("box")).containsExactly(m1, m2, m3, m4, m5);
  }

  @Test
  void descendingOrderListsNewestFirst() {
    assertThat(listDescending(filter())).containsExactly(m5, m4, m3, m2, m1);
  }

  @Test
  void sinceIsInclusive() {
    assertThat(list(filter().since(t(20)))).containsExactly(m3, m4, m5);
  }

  @Test
  void untilIsInclusive() {
    assertThat(list(filter().until(t(20)))).containsExactly(m1, m2, m3);
  }

  @Test
  void timeBoundsBetweenMessagesCutBetweenThem() {
    assertThat(list(filter().since(t(11)))).containsExactly(m3, m4, m5);
    assertThat(list(filter().until(t(29)))).containsExactly(m1, m2, m3);
  }

  @Test
  void sinceAndUntilTogetherGiveATimeRange() {
    assertThat(list(filter().since(t(10)).until(t(30)))).containsExactly(m2, m3, m4);
  }

  @Test
  void emptyTimeRangeMatchesNothing() {
    Page<Envelope> page =
        messages()
            .query(
                query(
                    "box",
                    READER,
                    filter().since(t(30)).until(t(10)).build(),
                    Optional.empty(),
                    Order.ASC,
                    10));

    assertThat(page.items()).isEmpty();
    assertThat(page.next()).isEmpty();
  }

  @Test
  void timeBoundsBeforeTheEpochAreHarmless() {
    assertThat(list(filter().since(Instant.parse("1960-01-01T00:00:00Z"))))
        .containsExactly(m1, m2, m3, m4, m5);
    assertThat(list(filter().until(Instant.parse("1960-01-01T00:00:00Z")))).isEmpty();
  }

  @Test
  void afterIdIsExclusive() {
    assertThat(list(filter().afterId(m2))).containsExactly(m3, m4, m5);
  }

  @Test
  void beforeIdIsExclusive() {
    assertThat(list(filter().beforeId(m4))).containsExactly(m1, m2, m3);
  }

  @Test
  void afterAndBeforeIdTogetherGiveAnIdRange() {
    assertThat(list(filter().afterId(m1).beforeId(m5))).containsExactly(m2, m3, m4);
    assertThat(list(filter().afterId(m3).beforeId(m4))).isEmpty();
  }

  @Test
  void idBoundsNeedNotBeIdsOfMessages() {
    assertThat(list(filter().afterId(MessageId.highestAt(t(10))))).containsExactly(m3, m4, m5);
    assertThat(list(filter().beforeId(MessageId.lowestAt(t(30))))).containsExactly(m1, m2, m3);
  }

  @Test
  void senderFilterKeepsOneSender() {
    assertThat(list(filter().sender("bob"))).containsExactly(m2, m5);
    assertThat(list(filter().sender("nobody"))).isEmpty();
  }

  @Test
  void minPriorityKeepsThatPriorityAndAbove() {
    assertThat(list(filter().minPriority(Priority.HIGH))).containsExactly(m3, m4, m5);
    assertThat(list(filter().minPriority(Priority.URGENT))).containsExactly(m4);
    assertThat(list(filter().minPriority(Priority.LOW))).containsExactly(m1, m2, m3, m4, m5);
  }

  @Test
  void contentTypeFilterKeepsOneType() {
    assertThat(list(filter().contentType(ContentType.TEXT_PLAIN))).containsExactly(m1, m4, m5);
    assertThat(list(filter().contentType(ContentType.APPLICATION_JSON))).containsExactly(m2);
    assertThat(list(filter().contentType(ContentType.OCTET_STREAM))).isEmpty();
  }

  @Test
  void tagFilterKeepsMessagesCarryingTheTag() {
    assertThat(list(filter().tags("red"))).containsExactly(m1, m2, m5);
    assertThat(list(filter().tags("green"))).containsExactly(m5);
    assertThat(list(filter().tags("purple"))).isEmpty();
  }

  @Test
  void severalTagsMustAllBeCarried() {
    assertThat(list(filter().tags("red", "blue"))).containsExactly(m2, m5);
    assertThat(list(filter().tags("red", "blue", "green"))).containsExactly(m5);
    assertThat(list(filter().tags("red", "purple"))).isEmpty();
  }

  @Test
  void unreadFilterUsesTheReadersOwnMarks() {
    assertThat(list(filter().unread(true))).containsExactly(m1, m3, m5);
    assertThat(list(filter().unread(false))).containsExactly(m2, m4);
  }

  @Test
  void unreadFilterForAnotherReaderUsesThatReadersMarks() {
    List<MessageId> unreadBySomeoneElse =
        ids(listAll("box", SOMEONE_ELSE, filter().unread(true).build(), Order.ASC, 10));
    List<MessageId> readBySomeoneElse =
        ids(listAll("box", SOMEONE_ELSE, filter().unread(false).build(), Order.ASC, 10));

    assertThat(unreadBySomeoneElse).containsExactly(m2, m3, m4, m5);
    assertThat(readBySomeoneElse).containsExactly(m1);
  }

  @Test
  void filtersCombine() {
    assertThat(list(filter().sender("bob").tags("blue").unread(true))).containsExactly(m5);
    assertThat(
            list(
                filter()
                    .since(t(10))
                    .minPriority(Priority.HIGH)
                    .contentType(ContentType.TEXT_PLAIN)))
        .containsExactly(m4, m5);
    assertThat(list(filter().afterId(m1).until(t(30)).tags("red").unread(false)))
        .containsExactly(m2);
    assertThat(list(filter().sender("alice").minPriority(Priority.URGENT))).isEmpty();
  }

  @Test
  void filtersCombineInDescendingOrder() {
    assertThat(listDescending(filter().tags("red"))).containsExactly(m5, m2, m1);
    assertThat(listDescending(filter().since(t(10)).until(t(30)).unread(true))).containsExactly(m3);
    assertThat(listDescending(filter().afterId(m1).beforeId(m5).minPriority(Priority.NORMAL)))
        .containsExactly(m4, m3, m2);
  }

  @Test
  void envelopeCarriesTheReadersReadTime() {
    List<Envelope> listed = listAll("box", READER, MessageFilter.NONE, Order.ASC, 10);

    assertThat(listed.get(1).readAt()).contains(readM2At);
    assertThat(listed.get(3).isRead()).isTrue();
    assertThat(listed.get(0).readAt()).as("read by someone else only").isEmpty();
    assertThat(listed.get(2).readAt()).isEmpty();
  }

  @Test
  void listingShowsOnlyThatMailbox() {
    assertThat(ids("other.box")).hasSize(1).doesNotContain(m1, m2, m3, m4, m5);
  }

  @Test
  void unknownMailboxGivesAnEmptyPage() {
    Page<Envelope> page = firstPage("no.such.box", 10);

    assertThat(page.items()).isEmpty();
    assertThat(page.next()).isEmpty();
  }

  @Test
  void filterSemanticsAgreeWithTheReferenceFilter() {
    List<MessageFilter> filters =
        List.of(
            filter().tags("blue").build(),
            filter().since(t(5)).until(t(35)).minPriority(Priority.NORMAL).build(),
            filter().unread(true).sender("alice").build(),
            filter().contentType(ContentType.TEXT_PLAIN).afterId(m1).build());
    for (MessageFilter f : filters) {
      List<MessageId> expected =
          ids(listAll("box", READER, MessageFilter.NONE, Order.ASC, 10)).stream()
              .filter(
                  id ->
                      f.matches(
                          messages().find(id).orElseThrow(),
                          messages().readers(id).stream().anyMatch(r -> r.reader().equals(READER))))
              .toList();
      assertThat(ids("box", f)).as("%s", f).isEqualTo(expected);
    }
  }
}
