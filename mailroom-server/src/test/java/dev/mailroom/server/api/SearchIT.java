package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Full-text search through {@code GET /v1/search}: a corpus of 10,000 messages with known words,
 * where phrases, prefixes and filters give exactly the expected ids in rank order; ranking by
 * occurrences and recency; who finds what; expiry.
 */
class SearchIT {
  private static final MutableClock CLOCK = MutableClock.of(Instant.now());

  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b ->
              b.clock(CLOCK)
                  .retention(
                      new RetentionPolicy(
                          RetentionPolicy.DEFAULTS.maxInboxSize(),
                          RetentionPolicy.DEFAULTS.readStateRetention(),
                          RetentionPolicy.DEFAULTS.dedupeWindow(),
                          Duration.ofMillis(100))));

  private static final String[] COLORS = {
    "red", "green", "blue", "amber", "violet", "ochre", "teal"
  };
  private static final String[] ANIMALS = {
    "fox", "owl", "yak", "lynx", "heron", "otter", "badger", "crane", "moose", "gecko", "shrew"
  };
  private static final int CORPUS = 10_000;

  private static Agent ann;
  private static Agent bob;
  private static String corpusBox;

  /** The id of corpus message n, sent with {@link #text} by ann (even hundreds) or bob. */
  private static final List<String> ids = new ArrayList<>();

  private static String text(int n) {
    return "report " + COLORS[n % 7] + " " + ANIMALS[n % 11] + " item" + n;
  }

  private static Agent sender(int n) {
    return (n / 100) % 2 == 0 ? ann : bob;
  }

  private static Map<String, Object> message(String target, String text, String... tags) {
    Map<String, Object> m = new HashMap<>();
    m.put("mode", "direct");
    m.put("target", target);
    m.put("content_type", "text/plain");
    m.put("payload", text);
    if (tags.length > 0) {
      m.put("tags", List.of(tags));
    }
    return m;
  }

  private static List<String> sendAll(Agent sender, List<Map<String, Object>> messages) {
    Response r =
        api.as(sender).post("/v1/messages/batch", Json.write(Map.of("messages", messages)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return Json.array(r.json(), "messages").stream().map(a -> Json.text(a, "id")).toList();
  }

  private static String unique(String word) {
    return word + System.nanoTime();
  }

  /**
   * The corpus: every message has the same number of terms (4 of the body, 1 tag, 2 of the sender's
   * id) and the same time, so messages matching a query of single words equally often rank equal
   * and come by id, newest first.
   */
  @BeforeAll
  static void corpus() {
    ann = api.newAgent("ann");
    bob = api.newAgent("bob");
    corpusBox = "corpus-" + System.nanoTime();
    for (int batch = 0; batch < CORPUS / 100; batch++) {
      List<Map<String, Object>> messages = new ArrayList<>();
      for (int n = batch * 100; n < batch * 100 + 100; n++) {
        messages.add(message(corpusBox, text(n), "t" + (n % 5)));
      }
      ids.addAll(sendAll(sender(batch * 100), messages));
    }
  }

  /** The corpus messages whose number passes {@code test}, in the order search gives them. */
  private static List<String> expected(IntPredicate test) {
    return IntStream.range(0, CORPUS)
        .filter(test)
        .mapToObj(ids::get)
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  private static List<String> search(Agent who, Query query, int limit) {
    return api.as(who).listAll("/v1/search", query, limit, "results").stream()
        .map(r -> Json.text(r.get("message"), "id"))
        .toList();
  }

  private static List<String> search(Agent who, String q) {
    return search(who, Query.of("q", q), 1000);
  }

  @Test
  void wordsPhrasesPrefixesAndFiltersGiveExactlyTheExpectedIdsInRankOrder() {
    Agent carl = api.newAgent("carl");
    assertThat(search(carl, "fox")).containsExactlyElementsOf(expected(n -> n % 11 == 0));
    assertThat(search(carl, "RED Fox")).containsExactlyElementsOf(expected(n -> n % 77 == 0));
    assertThat(search(carl, "\"red fox\"")).containsExactlyElementsOf(expected(n -> n % 77 == 0));
    assertThat(search(carl, "\"fox red\"")).isEmpty();
    assertThat(search(carl, "\"report teal\""))
        .containsExactlyElementsOf(expected(n -> n % 7 == 6));
    assertThat(search(carl, "item12*"))
        .containsExactlyElementsOf(
            expected(n -> n == 12 || (n >= 120 && n < 130) || (n >= 1200 && n < 1300)));
    assertThat(search(carl, "\"owl item12\"*"))
        .containsExactlyElementsOf(
            expected(
                n -> n % 11 == 1 && (n == 12 || (n >= 120 && n < 130) || (n >= 1200 && n < 1300))));
    assertThat(search(carl, "item4242")).containsExactly(ids.get(4242));

    // Filters: tag, sender, id bounds, mailbox, all at once, paged small.
    assertThat(search(carl, Query.of("q", "red").and("tag", "t3"), 1000))
        .containsExactlyElementsOf(expected(n -> n % 7 == 0 && n % 5 == 3));
    assertThat(search(carl, Query.of("q", "fox").and("sender", bob.id()), 1000))
        .containsExactlyElementsOf(expected(n -> n % 11 == 0 && (n / 100) % 2 == 1));
    assertThat(
            search(
                carl,
                Query.of("q", "blue")
                    .and("sender", ann.id())
                    .and("tag", "t1")
                    .and("after_id", ids.get(2000))
                    .and("before_id", ids.get(8000))
                    .and("mailbox", corpusBox),
                7))
        .containsExactlyElementsOf(
            expected(n -> n % 7 == 2 && (n / 100) % 2 == 0 && n % 5 == 1 && n > 2000 && n < 8000));
    List<String> all = expected(n -> n % 7 == 4);
    assertThat(search(carl, Query.of("q", "violet"), 13)).containsExactlyElementsOf(all);
    assertThat(search(carl, Query.of("q", "violet"), 1000)).hasSize(all.size());
  }

  @Test
  void moreOccurrencesRankFirstThenNewerThenTheHigherId() {
    String word = unique("zebra");
    String box = unique("ranked");
    List<String> sent =
        sendAll(
            ann,
            List.of(
                message(box, word + " other words here"),
                message(box, word + " " + word + " " + word + " here"),
                message(box, word + " " + word + " words here"),
                message(box, word + " other words here")));
    CLOCK.advance(Duration.ofDays(1));
    String newer = sendAll(ann, List.of(message(box, word + " other words here"))).getFirst();

    List<JsonNode> results = api.as(bob).listAll("/v1/search", Query.of("q", word), 100, "results");
    assertThat(results)
        .extracting(r -> Json.text(r.get("message"), "id"))
        .containsExactly(sent.get(1), sent.get(2), newer, sent.get(3), sent.get(0));
    assertThat(results.get(0).get("rank").asDouble())
        .isGreaterThan(results.get(1).get("rank").asDouble());
    assertThat(Json.text(results.get(1), "snippet"))
        .isEqualTo("<<" + word + ">> <<" + word + ">> words here");
  }

  @Test
  void eachCallerFindsWhatItMayReadAndNothingElse() {
    Agent eve = api.newAgent("eve");
    Agent carl = api.newAgent("carl");
    String word = unique("matrix");
    String open = unique("open");
    String secret = unique("secret");
    String topic = unique("news") + ".daily";
    api.granted("agent:" + eve.id(), "deny", secret, "read");
    String toBob = sendAll(ann, List.of(message(bob.id(), word + " to bob"))).getFirst();
    String shared = sendAll(ann, List.of(message(open, word + " shared"))).getFirst();
    String hidden = sendAll(ann, List.of(message(secret, word + " secret"))).getFirst();
    Map<String, Object> published = message(topic, word + " published");
    published.put("mode", "topic");
    String onTopic = sendAll(ann, List.of(published)).getFirst();
    Map<String, Object> everyone = message(null, word + " for everyone");
    everyone.remove("target");
    everyone.put("mode", "broadcast");
    String broadcast = sendAll(bob, List.of(everyone)).getFirst();
    String toAnn = sendAll(eve, List.of(message(ann.id(), word + " to ann"))).getFirst();

    assertThat(search(ann, word))
        .containsExactlyInAnyOrder(toBob, shared, hidden, onTopic, broadcast, toAnn);
    assertThat(search(bob, word))
        .containsExactlyInAnyOrder(toBob, shared, hidden, onTopic, broadcast);
    assertThat(search(eve, word)).containsExactlyInAnyOrder(shared, onTopic, broadcast, toAnn);
    assertThat(search(carl, word)).containsExactlyInAnyOrder(shared, hidden, onTopic, broadcast);
    assertThat(api.admin().listAll("/v1/search", Query.of("q", word), 100, "results")).hasSize(6);
    assertThat(search(eve, Query.of("q", word).and("mailbox", eve.id()), 100))
        .containsExactly(broadcast);
    assertThat(search(bob, Query.of("q", word).and("mailbox", bob.id()), 100))
        .containsExactlyInAnyOrder(toBob);

    assertProblem(api.as(eve).get("/v1/search", Query.of("q", word).and("mailbox", secret)), 403);
    assertProblem(api.as(eve).get("/v1/search", Query.of("q", word).and("mailbox", bob.id())), 403);
    assertProblem(
        api.as(eve).get("/v1/search", Query.of("q", word).and("mailbox", unique("none"))), 404);
    // A rule that lets eve read bob's mailbox: searched by naming it.
    api.granted("agent:" + eve.id(), "allow", bob.id(), "read");
    assertThat(search(eve, Query.of("q", word).and("mailbox", bob.id()), 100))
        .containsExactlyInAnyOrder(toBob);
  }

  @Test
  void expiredMessagesLeaveTheResultsAtOnceAndStayOutOnceCleaned() {
    String word = unique("ephemeral");
    String box = unique("brief");
    Map<String, Object> brief = message(box, word + " brief");
    brief.put("ttl_seconds", 60);
    List<String> sent = sendAll(ann, List.of(brief, message(box, word + " lasting")));
    assertThat(search(bob, word)).containsExactly(sent.get(1), sent.get(0));

    CLOCK.advance(Duration.ofSeconds(61));
    assertThat(search(bob, word)).containsExactly(sent.get(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.as(bob).get("/v1/mailboxes/" + box + "/stats").json().get("size").asLong()
                    == 1);
    assertThat(search(bob, word)).containsExactly(sent.get(1));
    assertThat(search(bob, word + " brief")).isEmpty();
  }

  @Test
  void badQueriesAndParametersAreRefusedNamingTheField() {
    assertInvalid(api.as(ann).get("/v1/search"), "q");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "  ")), "q");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "\"open")), "q");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "a*")), "q");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "x".repeat(1001))), "q");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "w ".repeat(17).strip())), "q");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "fox").and("order", "asc")), "order");
    assertInvalid(
        api.as(ann).get("/v1/search", Query.of("q", "fox").and("cursor", "abc")), "cursor");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "fox").and("limit", "0")), "limit");
    assertInvalid(
        api.as(ann).get("/v1/search", Query.of("q", "fox").and("mailbox", "no spaces")), "mailbox");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "fox").and("since", "x")), "since");
    assertInvalid(api.as(ann).get("/v1/search", Query.of("q", "fox").and("bogus", "1")), "bogus");
    String listingCursor =
        Json.text(
            api.as(ann)
                .get("/v1/mailboxes/" + corpusBox + "/messages", Query.of("limit", 1))
                .json(),
            "next_cursor");
    assertInvalid(
        api.as(ann).get("/v1/search", Query.of("q", "fox").and("cursor", listingCursor)), "cursor");
  }
}
