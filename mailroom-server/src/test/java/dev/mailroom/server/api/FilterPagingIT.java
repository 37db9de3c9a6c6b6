package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.object;
import static dev.mailroom.server.api.Json.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Paging through a 10,000-message inbox with every combination of the filters: each matching
 * message comes exactly once, in order, and the result equals what the test computes from what it
 * sent. The inbox holds messages from four senders with every priority, four content types, tags
 * from a small pool, and a seventh of them marked read.
 */
class FilterPagingIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final int MESSAGES = 10_000;
  private static final List<String> PRIORITIES = List.of("low", "normal", "high", "urgent");
  private static final List<String> CONTENT_TYPES =
      List.of("text/plain", "text/markdown", "application/json", "text/code");
  private static final List<String> TAGS = List.of("red", "green", "blue", "gold");

  /** What the test knows about one message it sent. */
  record Sent(
      String id,
      Instant timestamp,
      String sender,
      int priority,
      String contentType,
      Set<String> tags,
      boolean read) {}

  /** One filter: the query parameters and the rule the test applies to compute the expectation. */
  record Filter(String label, Query query, Predicate<Sent> rule) {}

  private static Agent reader;
  private static List<Agent> senders;

  /** Everything in the reader's inbox, in id order. */
  private static List<Sent> inbox;

  @BeforeAll
  static void fillTheInbox() throws Exception {
    reader = api.newAgent("reader");
    senders = List.of(api.newAgent("s"), api.newAgent("s"), api.newAgent("s"), api.newAgent("s"));
    Random random = new Random(20_26);
    List<Map<String, Object>> bodies = new ArrayList<>();
    List<Integer> senderOf = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      String type = CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size()));
      List<String> tags = TAGS.stream().filter(t -> random.nextInt(100) < 35).toList();
      Map<String, Object> body =
          object(
              "mode",
              "direct",
              "target",
              reader.id(),
              "content_type",
              type,
              "payload",
              type.equals("application/json") ? Map.of("n", i) : "message " + i,
              "priority",
              PRIORITIES.get(random.nextInt(PRIORITIES.size())),
              "tags",
              tags);
      if (type.equals("text/code")) {
        body.put("language", "java");
      }
      bodies.add(body);
      senderOf.add(random.nextInt(senders.size()));
    }

    Map<Integer, JsonNode> answers = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    runConcurrently(
        32,
        () -> {
          for (int i = next.getAndIncrement(); i < MESSAGES; i = next.getAndIncrement()) {
            answers.put(i, api.as(senders.get(senderOf.get(i))).sendOk(bodies.get(i)));
          }
        });

    Set<String> toRead = new HashSet<>();
    for (int i = 0; i < MESSAGES; i += 7) {
      toRead.add(text(answers.get(i), "id"));
    }
    List<String> readQueue = List.copyOf(toRead);
    AtomicInteger nextRead = new AtomicInteger();
    runConcurrently(
        16,
        () -> {
          for (int i = nextRead.getAndIncrement();
              i < readQueue.size();
              i = nextRead.getAndIncrement()) {
            Response r = api.as(reader).post("/v1/messages/" + readQueue.get(i) + "/read", null);
            assertThat(r.status()).as("%s", r).isEqualTo(204);
          }
        });

    List<Sent> all = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      Map<String, Object> body = bodies.get(i);
      JsonNode answer = answers.get(i);
      @SuppressWarnings("unchecked")
      List<String> tags = (List<String>) body.get("tags");
      all.add(
          new Sent(
              text(answer, "id"),
              Times.parse(text(answer, "timestamp")),
              senders.get(senderOf.get(i)).id(),
              PRIORITIES.indexOf((String) body.get("priority")),
              (String) body.get("content_type"),
              Set.copyOf(tags),
              toRead.contains(text(answer, "id"))));
    }
    all.sort(Comparator.comparing(Sent::id));
    inbox = List.copyOf(all);
  }

  @Test
  void theWholeInboxIsListedOnceInIdOrderWithItsReadState() {
    List<JsonNode> listed = api.as(reader).listAll("/v1/inbox", Query.NONE, 1000);

    assertThat(listed)
        .extracting(m -> text(m, "id"))
        .isEqualTo(inbox.stream().map(Sent::id).toList());
    for (int i = 0; i < inbox.size(); i++) {
      assertThat(text(listed.get(i), "read_at") != null)
          .as("read state of %s", inbox.get(i))
          .isEqualTo(inbox.get(i).read());
    }
    assertThat(api.as(reader).unreadCount())
        .isEqualTo(inbox.stream().filter(s -> !s.read()).count());
  }

  @Test
  void everyCombinationOfFiltersInBothOrdersPagesThroughEachMatchOnceInOrder() throws Exception {
    List<List<Filter>> kinds = filterKinds();
    List<Check> runs = new ArrayList<>();
    for (int mask = 0; mask < (1 << kinds.size()); mask++) {
      for (String order : List.of("asc", "desc")) {
        List<Filter> chosen = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
          if ((mask & (1 << k)) != 0) {
            chosen.add(kinds.get(k).get(order.equals("asc") ? 0 : 1));
          }
        }
        int variant = mask * 2 + (order.equals("asc") ? 0 : 1);
        runs.add(() -> check(chosen, order, variant));
      }
    }

    List<String> failures = runAll(runs);

    assertThat(failures).as("%d of %d listings wrong", failures.size(), runs.size()).isEmpty();
  }

  @Test
  void maxAgeCombinesWithTheOtherFilters() throws Exception {
    List<List<Filter>> kinds = filterKinds();
    Filter maxAge = new Filter("max_age_seconds", Query.of("max_age_seconds", 86_400), s -> true);
    List<Check> runs = new ArrayList<>();
    for (String order : List.of("asc", "desc")) {
      int v = order.equals("asc") ? 0 : 1;
      List<Filter> all = new ArrayList<>(kinds.stream().map(k -> k.get(v)).toList());
      all.add(maxAge);
      runs.add(() -> check(all, order, 3));
      runs.add(() -> check(List.of(maxAge), order, 7));
      runs.add(() -> check(List.of(maxAge, kinds.get(4).get(v), kinds.get(7).get(v)), order, 11));
    }

    assertThat(runAll(runs)).isEmpty();
  }

  @Test
  void timeBoundsAreAcceptedWithAnyUtcOffset() {
    Instant since = inbox.get(9_000).timestamp();
    Instant until = inbox.get(9_500).timestamp();
    String sinceWithOffset = since.atOffset(ZoneOffset.ofHours(2)).toString();
    String untilWithOffset = until.atOffset(ZoneOffset.ofHoursMinutes(-5, -30)).toString();

    List<String> listed =
        api.as(reader)
            .listIds(
                "/v1/inbox",
                Query.of("since", sinceWithOffset).and("until", untilWithOffset),
                1000);

    assertThat(listed)
        .isEqualTo(
            inbox.stream()
                .filter(s -> !s.timestamp().isBefore(since) && !s.timestamp().isAfter(until))
                .map(Sent::id)
                .toList());
  }

  @Test
  void theDefaultPageSizeIsFifty() {
    Response r = api.as(reader).get("/v1/inbox");

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(Json.array(r.json(), "messages"))
        .extracting(m -> text(m, "id"))
        .isEqualTo(inbox.stream().limit(50).map(Sent::id).toList());
    assertThat(text(r.json(), "next_cursor")).isNotNull();
  }

  @Test
  void aPageOfOneThousandIsServedAndOneMoreIsRefused() {
    Response r = api.as(reader).get("/v1/inbox", Query.of("limit", 1000));

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(Json.array(r.json(), "messages")).hasSize(1000);
    Problems.assertInvalid(api.as(reader).get("/v1/inbox", Query.of("limit", 1001)), "limit");
  }

  @Test
  void maxAgeLeavesOutMessagesOlderThanItAllows() {
    Agent agent = api.newAgent("aged");
    Agent other = api.newAgent("other");
    String id = text(api.as(other).sendOk(SendAndReadIT.plain(agent.id(), "soon old")), "id");
    assertThat(api.as(agent).listIds("/v1/inbox", Query.of("max_age_seconds", 3600), 50))
        .containsExactly(id);

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(api.as(agent).listIds("/v1/inbox", Query.of("max_age_seconds", 1), 50))
                    .isEmpty());
    assertThat(api.as(agent).listIds("/v1/inbox", Query.NONE, 50)).containsExactly(id);
  }

  /**
   * The filter kinds, each in two variants: the first used with ascending order, the second with
   * descending, so that both orders also see different values. Time and id bounds come from
   * messages actually stored.
   */
  private static List<List<Filter>> filterKinds() {
    return List.of(
        List.of(since(3_000), since(1_500)),
        List.of(until(7_500), until(6_000)),
        List.of(afterId(4_000), afterId(2_500)),
        List.of(beforeId(9_000), beforeId(7_000)),
        List.of(sender(1), sender(2)),
        List.of(minPriority("high"), minPriority("normal")),
        List.of(contentType("application/json"), contentType("text/plain")),
        List.of(tags("red"), tags("green", "blue")),
        List.of(unread(false), unread(true)));
  }

  private static Filter since(int position) {
    Instant t = inbox.get(position).timestamp();
    return new Filter("since", Query.of("since", t), s -> !s.timestamp().isBefore(t));
  }

  private static Filter until(int position) {
    Instant t = inbox.get(position).timestamp();
    return new Filter("until", Query.of("until", t), s -> !s.timestamp().isAfter(t));
  }

  private static Filter afterId(int position) {
    String id = inbox.get(position).id();
    return new Filter("after_id", Query.of("after_id", id), s -> s.id().compareTo(id) > 0);
  }

  private static Filter beforeId(int position) {
    String id = inbox.get(position).id();
    return new Filter("before_id", Query.of("before_id", id), s -> s.id().compareTo(id) < 0);
  }

  private static Filter sender(int index) {
    String id = senders.get(index).id();
    return new Filter("sender", Query.of("sender", id), s -> s.sender().equals(id));
  }

  private static Filter minPriority(String priority) {
    int rank = PRIORITIES.indexOf(priority);
    return new Filter(
        "min_priority", Query.of("min_priority", priority), s -> s.priority() >= rank);
  }

  private static Filter contentType(String type) {
    return new Filter(
        "content_type", Query.of("content_type", type), s -> s.contentType().equals(type));
  }

  private static Filter tags(String... tags) {
    Query q = Query.NONE;
    for (String t : tags) {
      q = q.and("tag", t);
    }
    return new Filter("tag", q, s -> s.tags().containsAll(List.of(tags)));
  }

  private static Filter unread(boolean unread) {
    return new Filter("unread", Query.of("unread", unread), s -> s.read() != unread);
  }

  /**
   * Pages through one filter combination and compares with the expectation. Page sizes vary with
   * {@code variant} so that most listings take several pages and pages end in different places.
   *
   * @return a short description of what is wrong, or null when the listing is right
   */
  private static String check(List<Filter> filters, String order, int variant) {
    Query query = Query.of("order", order);
    Predicate<Sent> rule = s -> true;
    for (Filter f : filters) {
      query = query.and(f.query());
      rule = rule.and(f.rule());
    }
    List<String> expected = new ArrayList<>(inbox.stream().filter(rule).map(Sent::id).toList());
    if (order.equals("desc")) {
      expected = expected.reversed();
    }
    int limit = Math.max(1, Math.min(1000, expected.size() / (2 + variant % 3) + 1));
    List<String> actual;
    try {
      actual = api.as(reader).listIds("/v1/inbox", query, limit);
    } catch (AssertionError e) {
      String message = String.valueOf(e.getMessage());
      return query
          + " limit="
          + limit
          + ": "
          + message.substring(0, Math.min(600, message.length()));
    }
    if (actual.equals(expected)) {
      return null;
    }
    Set<String> seen = new HashSet<>();
    List<String> duplicates = actual.stream().filter(id -> !seen.add(id)).limit(3).toList();
    Set<String> expectedSet = new HashSet<>(expected);
    List<String> unexpected =
        actual.stream().filter(id -> !expectedSet.contains(id)).limit(3).toList();
    List<String> missing = expected.stream().filter(id -> !seen.contains(id)).limit(3).toList();
    return "%s limit=%d: expected %d, got %d; duplicates %s, unexpected %s, missing %s%s"
        .formatted(
            query,
            limit,
            expected.size(),
            actual.size(),
            duplicates,
            unexpected,
            missing,
            duplicates.isEmpty() && unexpected.isEmpty() && missing.isEmpty()
                ? ", wrong order"
                : "");
  }

  /** One listing check; answers a failure description or null. */
  private interface Check extends Callable<String> {}

  private static List<String> runAll(List<Check> runs) throws Exception {
    List<String> failures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<String>> futures = new ArrayList<>();
      for (Check run : runs) {
        futures.add(pool.submit(run));
      }
      for (Future<String> f : futures) {
        String failure = f.get();
        if (failure != null) {
          failures.add(failure);
        }
      }
    }
    return failures;
  }

  private static void runConcurrently(int threads, ThrowingRunnable task) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  task.run();
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
