package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Payload;
import dev.mailroom.core.blob.Attachment;
import dev.mailroom.core.blob.BlobId;
import dev.mailroom.core.search.SearchHit;
import dev.mailroom.core.search.SearchPage;
import dev.mailroom.core.search.SearchPosition;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Full-text search ({@link dev.mailroom.core.spi.MessageStore#search}): what matches, in which
 * order, for whom, and that expired and removed messages leave the results.
 */
abstract class SearchRules extends ContractRules {
  private static final AgentId ANN = AgentId.of("ann");
  private static final AgentId BOB = AgentId.of("bob");
  private static final AgentId CARL = AgentId.of("carl");

  SearchRules(StorageFixture fixture) {
    super(fixture);
  }

  private SearchPage page(
      String q,
      AgentId reader,
      boolean everywhere,
      Optional<MailboxName> mailbox,
      MessageFilter filter,
      Optional<SearchPosition> after,
      int limit) {
    return messages()
        .search(
            new SearchRequest(
                SearchQuery.parse(q), reader, everywhere, mailbox, filter, after, limit));
  }

  /** Every hit, following positions page by page of {@code size}. */
  private List<MessageId> walk(
      String q,
      AgentId reader,
      boolean everywhere,
      Optional<MailboxName> mailbox,
      MessageFilter filter,
      int size) {
    List<MessageId> ids = new ArrayList<>();
    Optional<SearchPosition> at = Optional.empty();
    for (int pages = 0; pages < 10_000; pages++) {
      SearchPage page = page(q, reader, everywhere, mailbox, filter, at, size);
      page.hits().forEach(h -> ids.add(h.envelope().message().id()));
      if (page.next().isEmpty()) {
        return ids;
      }
      assertThat(page.hits()).as("a page with a next position is full").hasSize(size);
      assertThat(page.next()).contains(page.hits().getLast().position());
      at = page.next();
    }
    throw new AssertionError("paging did not end");
  }

  private List<MessageId> everywhere(String q) {
    return walk(q, ANN, true, Optional.empty(), MessageFilter.NONE, 1000);
  }

  private List<MessageId> as(AgentId reader, String q) {
    return walk(q, reader, false, Optional.empty(), MessageFilter.NONE, 1000);
  }

  /** Messages that make every test word rare enough for a positive IDF. */
  private void filler(int count) {
    for (int i = 0; i < count; i++) {
      sent(from("carl").to("noise").text("unrelated chatter number " + i));
    }
  }

  @Test
  void wordsPhrasesAndPrefixesMatchWithoutCaseOrDiacritics() {
    agent("ann");
    agent("carl");
    MessageId opened = sent(from("ann").to("reviews").text("The Café OPENED today"));
    MessageId society = sent(from("ann").to("reviews").text("cafe society"));
    MessageId open = sent(from("ann").to("reviews").text("open the cafe, please"));
    MessageId json =
        sent(
            from("ann")
                .to("reviews")
                .content(
                    ContentType.APPLICATION_JSON,
                    Payload.ofText("{\"note\": \"caf\\u00e9 menu\", \"count\": 3}")));
    sent(from("ann").to("reviews").content(ContentType.OCTET_STREAM, Payload.ofText("cafe")));
    filler(6);

    assertThat(everywhere("cafe")).containsExactlyInAnyOrder(opened, society, open, json);
    assertThat(everywhere("CAFÉ")).containsExactlyInAnyOrder(opened, society, open, json);
    assertThat(everywhere("\"the cafe\"")).containsExactlyInAnyOrder(opened, open);
    assertThat(everywhere("\"cafe, please\"")).containsExactly(open);
    assertThat(everywhere("\"cafe the\"")).isEmpty();
    assertThat(everywhere("op*")).containsExactlyInAnyOrder(opened, open);
    assertThat(everywhere("cafe op*")).containsExactlyInAnyOrder(opened, open);
    assertThat(everywhere("cafe menu")).containsExactly(json);
    assertThat(everywhere("note")).as("JSON keys are not indexed").isEmpty();
    assertThat(everywhere("count")).isEmpty();
    assertThat(everywhere("nothing-like-it")).isEmpty();
  }

  @Test
  void tagsSenderAndAttachmentNamesAreIndexed() {
    agent("ann");
    agent("carl");
    MessageId tagged = sent(from("ann").to("reviews").text("plain words").tags("hotfix"));
    MessageId attached =
        sent(
            from("ann")
                .to("reviews")
                .text("see the file")
                .attachments(
                    new Attachment(
                        BlobId.random(),
                        "Quarterly-Report.pdf",
                        "application/pdf",
                        1,
                        "ab".repeat(32))));
    filler(6);

    assertThat(everywhere("hotfix")).containsExactly(tagged);
    assertThat(everywhere("quarterly report")).containsExactly(attached);
    assertThat(everywhere("ann")).containsExactlyInAnyOrder(tagged, attached);
  }

  @Test
  void moreOccurrencesRankFirstAndNewerWinsAmongEquals() {
    agent("ann");
    agent("carl");
    filler(10);
    MessageId once = sent(from("ann").to("reviews").text("deploy went fine yesterday evening"));
    MessageId twice = sent(from("ann").to("reviews").text("deploy deploy went fine yesterday"));
    MessageId thrice = sent(from("ann").to("reviews").text("deploy deploy deploy went fine"));
    MessageId older = sent(from("ann").to("reviews").text("rollback went fine yesterday evening"));
    tick(Duration.ofDays(1).toMillis());
    MessageId newer = sent(from("ann").to("reviews").text("rollback went fine yesterday evening"));

    assertThat(everywhere("deploy")).containsExactly(thrice, twice, once);
    assertThat(everywhere("rollback")).containsExactly(newer, older);
    List<SearchHit> hits =
        page("rollback", ANN, true, Optional.empty(), MessageFilter.NONE, Optional.empty(), 10)
            .hits();
    assertThat(hits.get(0).rank()).isGreaterThan(hits.get(1).rank());
  }

  /**
   * An older message relevant enough outranks newer ones however many of them match: a store that
   * reads matches newest first must not stop before it.
   */
  @Test
  void anOlderMuchMoreRelevantMessageStillRanksFirst() {
    agent("ann");
    agent("carl");
    filler(40);
    MessageId old = sent(from("ann").to("reviews").text("plum plum plum plum plum plum plum plum"));
    tick(Duration.ofDays(3).toMillis());
    List<MessageId> newer = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      newer.add(sent(from("ann").to("reviews").text("plum and a long tail of other words " + i)));
    }
    for (int size : new int[] {1, 2, 5, 31, 100}) {
      List<MessageId> found = walk("plum", ANN, true, Optional.empty(), MessageFilter.NONE, size);
      assertThat(found).as("page size %d", size).hasSize(31).startsWith(old);
      assertThat(found.subList(1, 31)).containsExactlyElementsOf(newer.reversed());
    }
  }

  /** The same when the word is in most messages, where BM25 gives it its floor IDF. */
  @Test
  void anOlderMuchMoreRelevantMessageRanksFirstEvenForAWordInEveryMessage() {
    agent("ann");
    MessageId old = sent(from("ann").to("reviews").text("kiwi kiwi kiwi kiwi kiwi kiwi kiwi"));
    tick(Duration.ofDays(2).toMillis());
    List<MessageId> newer = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      newer.add(sent(from("ann").to("reviews").text("kiwi with a long tail of other words " + i)));
    }
    for (int size : new int[] {1, 3, 21}) {
      List<MessageId> found = walk("kiwi", ANN, true, Optional.empty(), MessageFilter.NONE, size);
      assertThat(found).as("page size %d", size).hasSize(21).startsWith(old);
      assertThat(found.subList(1, 21)).containsExactlyElementsOf(newer.reversed());
    }
  }

  /**
   * The same for a query of two words, whose most possible relevance a store may bound from the
   * matches it reads first: the older message holds one word far more often than they do.
   */
  @Test
  void anOlderMuchMoreRelevantMessageRanksFirstForTwoWords() {
    agent("ann");
    agent("carl");
    filler(40);
    MessageId old = sent(from("ann").to("reviews").text("kiwi kiwi kiwi kiwi kiwi kiwi kiwi plum"));
    tick(Duration.ofDays(1).toMillis());
    List<MessageId> newer = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      newer.add(
          sent(from("ann").to("reviews").text("plum plum kiwi and a long tail of words " + i)));
    }
    for (int size : new int[] {1, 2, 5, 31}) {
      List<MessageId> found =
          walk("plum kiwi", ANN, true, Optional.empty(), MessageFilter.NONE, size);
      assertThat(found).as("page size %d", size).hasSize(31).startsWith(old);
      assertThat(found.subList(1, 31)).containsExactlyElementsOf(newer.reversed());
    }
  }

  @Test
  void pagesFollowEachOtherInRankOrder() {
    agent("ann");
    agent("carl");
    filler(30);
    for (int i = 0; i < 25; i++) {
      sent(from("ann").to("reviews").text("status " + "report ".repeat(1 + i % 4) + "end"));
    }
    List<MessageId> all = everywhere("report");
    assertThat(all).hasSize(25);
    for (int size : new int[] {1, 2, 7, 25, 26}) {
      assertThat(walk("report", ANN, true, Optional.empty(), MessageFilter.NONE, size))
          .as("page size %d", size)
          .isEqualTo(all);
    }
  }

  @Test
  void aReaderSearchesItsOwnSentSharedAndBroadcastMessagesOnly() {
    agent("ann");
    agent("bob");
    agent("carl");
    MessageId toCarl = sent(from("bob").toAgent("carl").text("kumquat secret"));
    MessageId toAnn = sent(from("bob").toAgent("ann").text("kumquat for ann"));
    MessageId shared = sent(from("carl").to("reviews").text("kumquat review"));
    MessageId topic = sent(from("carl").onTopic("builds.main").text("kumquat build"));
    MessageId broadcast = sent(from("bob").broadcast().text("kumquat for all"));
    MessageId bobsOwn = sent(from("bob").to("reviews").text("kumquat from bob"));
    filler(12);

    assertThat(as(ANN, "kumquat"))
        .containsExactlyInAnyOrder(toAnn, shared, topic, broadcast, bobsOwn);
    assertThat(as(CARL, "kumquat"))
        .containsExactlyInAnyOrder(toCarl, shared, topic, broadcast, bobsOwn);
    assertThat(as(BOB, "kumquat"))
        .as("its own sent messages, the broadcast among them")
        .containsExactlyInAnyOrder(toCarl, toAnn, shared, topic, broadcast, bobsOwn);
    assertThat(everywhere("kumquat")).hasSize(6);
    assertThat(walk("kumquat", ANN, false, Optional.of(box("reviews")), MessageFilter.NONE, 100))
        .containsExactlyInAnyOrder(shared, bobsOwn);
    assertThat(walk("kumquat", ANN, false, Optional.of(box("carl")), MessageFilter.NONE, 100))
        .as("a named mailbox: what it holds")
        .containsExactlyInAnyOrder(toCarl, broadcast);
  }

  @Test
  void everyListingFilterCombines() {
    agent("ann");
    agent("bob");
    agent("carl");
    MessageId annTagged = sent(from("ann").to("reviews").text("quince one").tags("urgent"));
    MessageId bobTagged = sent(from("bob").to("reviews").text("quince two").tags("urgent"));
    MessageId bobThread = sent(from("bob").to("reviews").text("quince three").thread("t1"));
    MessageId bobPlain = sent(from("bob").to("reviews").text("quince four"));
    filler(10);
    messages().markRead(bobPlain, ANN);

    assertThat(walk("quince", ANN, false, Optional.empty(), filter().sender("bob").build(), 100))
        .containsExactlyInAnyOrder(bobTagged, bobThread, bobPlain);
    assertThat(walk("quince", ANN, false, Optional.empty(), filter().tags("urgent").build(), 100))
        .containsExactlyInAnyOrder(annTagged, bobTagged);
    assertThat(
            walk(
                "quince",
                ANN,
                false,
                Optional.empty(),
                filter().sender("bob").tags("urgent").build(),
                100))
        .containsExactly(bobTagged);
    assertThat(
            walk(
                "quince",
                ANN,
                false,
                Optional.empty(),
                MessageFilter.NONE.withThread(dev.mailroom.core.ThreadId.of("t1")),
                100))
        .containsExactly(bobThread);
    assertThat(walk("quince", ANN, false, Optional.empty(), filter().unread(false).build(), 100))
        .containsExactly(bobPlain);
    assertThat(walk("quince", ANN, false, Optional.empty(), filter().unread(true).build(), 100))
        .containsExactlyInAnyOrder(annTagged, bobTagged, bobThread);
    assertThat(
            walk(
                "quince",
                ANN,
                false,
                Optional.empty(),
                MessageFilter.NONE.withAfterId(bobTagged),
                100))
        .containsExactlyInAnyOrder(bobThread, bobPlain);
    assertThat(
            page("quince", ANN, false, Optional.empty(), MessageFilter.NONE, Optional.empty(), 10)
                .hits())
        .allSatisfy(
            h ->
                assertThat(h.envelope().isRead())
                    .isEqualTo(h.envelope().message().id().equals(bobPlain)));
  }

  @Test
  void expiredMessagesLeaveTheResultsAtOnceAndAfterCleaning() {
    agent("ann");
    agent("carl");
    MessageId brief =
        sent(from("ann").to("reviews").text("medlar brief").ttl(Duration.ofSeconds(5)));
    MessageId lasting = sent(from("ann").to("reviews").text("medlar lasting"));
    filler(6);
    assertThat(everywhere("medlar")).containsExactlyInAnyOrder(brief, lasting);

    tick(6_000);
    assertThat(everywhere("medlar")).containsExactly(lasting);
    messages().purgeExpired(1_000);
    assertThat(everywhere("medlar")).containsExactly(lasting);
    assertThat(everywhere("brief")).isEmpty();
  }
}
