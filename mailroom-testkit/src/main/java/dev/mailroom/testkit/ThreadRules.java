package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.Page;
import dev.mailroom.core.ThreadId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A thread's messages, whichever mailboxes hold them ({@link
 * dev.mailroom.core.spi.MessageStore#thread}), and the thread filter of a listing.
 */
abstract class ThreadRules extends ContractRules {
  private static final ThreadId PLAN = ThreadId.of("plan");
  private static final AgentId ANN = AgentId.of("ann");

  ThreadRules(StorageFixture fixture) {
    super(fixture);
  }

  /** Every message of the thread, page by page of {@code size}, in {@code order}. */
  private List<MessageId> walk(ThreadId thread, Order order, int size) {
    List<MessageId> ids = new ArrayList<>();
    Optional<MessageId> position = Optional.empty();
    for (int pages = 0; pages < 10_000; pages++) {
      Page<Envelope> page = messages().thread(thread, ANN, position, order, size);
      page.items().forEach(e -> ids.add(e.message().id()));
      assertThat(page.items().size()).isLessThanOrEqualTo(size);
      if (page.next().isEmpty()) {
        return ids;
      }
      assertThat(page.items()).as("a page with a next cursor is full").hasSize(size);
      assertThat(page.next()).contains(page.items().getLast().message().id());
      position = page.next();
    }
    throw new AssertionError("paging did not end");
  }

  @Test
  void aThreadGathersItsMessagesFromEveryMailboxInIdOrder() {
    agent("ann");
    agent("bob");
    List<MessageId> expected = new ArrayList<>();
    expected.add(sent(TestMessage.from("ann").toAgent("bob").thread("plan")));
    sent(TestMessage.from("ann").toAgent("bob").thread("other"));
    expected.add(sent(TestMessage.from("bob").to("reviews").thread("plan")));
    sent(TestMessage.from("bob").to("reviews"));
    expected.add(sent(TestMessage.from("bob").onTopic("builds.main").thread("plan")));
    expected.add(sent(TestMessage.from("ann").broadcast().thread("plan")));
    for (int i = 0; i < 7; i++) {
      expected.add(
          sent(
              TestMessage.from(i % 2 == 0 ? "ann" : "bob")
                  .toAgent(i % 2 == 0 ? "bob" : "ann")
                  .thread("plan")));
    }

    for (int size : new int[] {1, 2, 3, 5, 1000}) {
      assertThat(walk(PLAN, Order.ASC, size)).as("page size %d", size).isEqualTo(expected);
      assertThat(walk(PLAN, Order.DESC, size))
          .as("page size %d", size)
          .isEqualTo(expected.reversed());
    }
  }

  @Test
  void theRootNamingNoThreadIsItsFirstMessage() {
    agent("ann");
    agent("bob");
    MessageId root = sent(TestMessage.from("ann").toAgent("bob"));
    ThreadId thread = ThreadId.of(root.toString());
    MessageId reply =
        sent(TestMessage.from("bob").toAgent("ann").thread(thread.value()).inReplyTo(root));
    MessageId answer = sent(TestMessage.from("ann").toAgent("bob").thread(thread.value()));

    assertThat(walk(thread, Order.ASC, 1)).containsExactly(root, reply, answer);
    assertThat(walk(thread, Order.DESC, 2)).containsExactly(answer, reply, root);
    Page<Envelope> afterRoot = messages().thread(thread, ANN, Optional.of(root), Order.ASC, 10);
    assertThat(afterRoot.items()).extracting(e -> e.message().id()).containsExactly(reply, answer);
  }

  @Test
  void aMessageNamedLikeAThreadButInAnotherIsNotItsRoot() {
    agent("ann");
    agent("bob");
    MessageId elsewhere = sent(TestMessage.from("ann").toAgent("bob").thread("other"));
    ThreadId thread = ThreadId.of(elsewhere.toString());
    MessageId reply = sent(TestMessage.from("bob").toAgent("ann").thread(thread.value()));

    assertThat(walk(thread, Order.ASC, 10)).containsExactly(reply);
  }

  @Test
  void anUnknownThreadIsEmpty() {
    agent("ann");
    sent(TestMessage.from("ann").to("reviews").thread("plan"));

    Page<Envelope> page =
        messages().thread(ThreadId.of("nothing"), ANN, Optional.empty(), Order.ASC, 10);
    assertThat(page.items()).isEmpty();
    assertThat(page.next()).isEmpty();
  }

  @Test
  void expiredMessagesLeaveTheThreadAtOnceAndAfterCleaning() {
    agent("ann");
    agent("bob");
    MessageId brief =
        sent(TestMessage.from("ann").toAgent("bob").thread("plan").ttl(Duration.ofSeconds(10)));
    MessageId lasting = sent(TestMessage.from("bob").to("reviews").thread("plan"));
    MessageId briefToo =
        sent(TestMessage.from("ann").to("reviews").thread("plan").ttl(Duration.ofSeconds(10)));

    tick(10_000);
    assertThat(walk(PLAN, Order.ASC, 1)).containsExactly(lasting);

    messages().purgeExpired(1_000);
    assertThat(walk(PLAN, Order.ASC, 1)).containsExactly(lasting);
    assertThat(walk(PLAN, Order.DESC, 1000)).containsExactly(lasting);
    assertThat(messages().find(brief)).isEmpty();
    assertThat(messages().find(briefToo)).isEmpty();
  }

  @Test
  void aThreadCarriesTheReadersReadTimes() {
    agent("ann");
    agent("bob");
    MessageId first = sent(TestMessage.from("bob").toAgent("ann").thread("plan"));
    MessageId second = sent(TestMessage.from("bob").toAgent("ann").thread("plan"));
    tick(5);
    messages().markRead(second, ANN);
    Instant readAt = now();

    List<Envelope> items = messages().thread(PLAN, ANN, Optional.empty(), Order.ASC, 10).items();
    assertThat(items).extracting(e -> e.message().id()).containsExactly(first, second);
    assertThat(items.get(0).readAt()).isEmpty();
    assertThat(items.get(1).readAt()).contains(readAt);
    assertThat(messages().thread(PLAN, AgentId.of("bob"), Optional.empty(), Order.ASC, 10).items())
        .allSatisfy(e -> assertThat(e.readAt()).isEmpty());
  }

  @Test
  void aThreadPageHasALimitBetweenOneAndTheMaximum() {
    assertThatThrownBy(() -> messages().thread(PLAN, ANN, Optional.empty(), Order.ASC, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                messages()
                    .thread(PLAN, ANN, Optional.empty(), Order.ASC, MessageQuery.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theThreadFilterKeepsAMailboxsMessagesOfTheThreadAndItsRoot() {
    agent("ann");
    agent("bob");
    MessageId root = sent(TestMessage.from("bob").toAgent("ann"));
    String thread = root.toString();
    sent(TestMessage.from("bob").toAgent("ann").thread("other"));
    MessageId reply = sent(TestMessage.from("bob").toAgent("ann").thread(thread));
    sent(TestMessage.from("bob").toAgent("ann"));
    MessageId shared = sent(TestMessage.from("bob").to("reviews").thread(thread));
    sent(TestMessage.from("bob").to("reviews").thread("other"));

    MessageFilter filter = MessageFilter.NONE.withThread(ThreadId.of(thread));
    assertThat(ids("ann", filter)).containsExactly(root, reply);
    assertThat(ids("reviews", filter)).containsExactly(shared);
    assertThat(ids("reviews", MessageFilter.NONE.withThread(ThreadId.of("none")))).isEmpty();
  }
}
