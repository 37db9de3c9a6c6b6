package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Order;
import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditPage;
import dev.mailroom.core.audit.AuditPosition;
import dev.mailroom.core.audit.AuditQuery;
import dev.mailroom.core.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit log: records kept exactly as given, read back by chain and index, listed by position
 * with every filter in both orders, and purged oldest first.
 */
abstract class AuditRules extends ContractRules {
  private static final String[] CHAINS = {"node-a", "node-a-2", "Node_b"};
  private static final String[] ACTORS = AuditRecords.ACTORS;
  private static final String[] ACTIONS = AuditRecords.ACTIONS;
  private static final String[] RESOURCES = AuditRecords.RESOURCES;
  private static final int[] STATUSES = AuditRecords.STATUSES;

  AuditRules(StorageFixture fixture) {
    super(fixture);
  }

  /**
   * A log of {@code count} records over three chains, several to a millisecond, with actors,
   * actions, resources and statuses varying independently; appended in batches of 50.
   */
  private List<AuditRecord> mixedLog(int count) {
    List<AuditRecord> log = new ArrayList<>();
    long[] next = new long[CHAINS.length];
    String[] prev = {AuditRecord.GENESIS, AuditRecord.GENESIS, AuditRecord.GENESIS};
    for (int i = 0; i < count; i++) {
      int c = (i / 2) % CHAINS.length;
      AuditRecord r =
          AuditRecords.record(
              CHAINS[c],
              next[c]++,
              now().plusMillis(i / 4),
              ACTORS[i % ACTORS.length],
              ACTIONS[i % ACTIONS.length],
              RESOURCES[i % RESOURCES.length],
              STATUSES[i % STATUSES.length],
              "d" + i,
              prev[c]);
      prev[c] = r.hash();
      log.add(r);
    }
    for (int from = 0; from < count; from += 50) {
      audit().append(log.subList(from, Math.min(count, from + 50)));
    }
    return log;
  }

  // ---- queries

  /** The filters of a query, built up one at a time. */
  private record Filters(
      Optional<String> actor,
      Optional<String> action,
      Optional<String> resource,
      Optional<AuditOutcome> outcome,
      Optional<Instant> since,
      Optional<Instant> until) {
    static final Filters NONE =
        new Filters(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    Filters actor(String a) {
      return new Filters(Optional.of(a), action, resource, outcome, since, until);
    }

    Filters action(String a) {
      return new Filters(actor, Optional.of(a), resource, outcome, since, until);
    }

    Filters resource(String r) {
      return new Filters(actor, action, Optional.of(r), outcome, since, until);
    }

    Filters outcome(AuditOutcome o) {
      return new Filters(actor, action, resource, Optional.of(o), since, until);
    }

    Filters since(Instant t) {
      return new Filters(actor, action, resource, outcome, Optional.of(t), until);
    }

    Filters until(Instant t) {
      return new Filters(actor, action, resource, outcome, since, Optional.of(t));
    }

    AuditQuery query(int limit, Order order) {
      return new AuditQuery(
          actor, action, resource, outcome, since, until, Optional.empty(), limit, order);
    }
  }

  /** Every record a query lists, following its pages; each page but the last is full. */
  private List<AuditRecord> listAll(AuditQuery query) {
    List<AuditRecord> all = new ArrayList<>();
    AuditQuery q = query;
    for (int pages = 0; pages < 100_000; pages++) {
      AuditPage page = audit().query(q);
      all.addAll(page.records());
      if (page.next().isEmpty()) {
        return all;
      }
      assertThat(page.records()).as("a page with a next position is full").hasSize(q.limit());
      assertThat(page.next()).contains(page.records().getLast().position());
      q = q.withAfter(page.next().get());
    }
    return fail("paging did not end");
  }

  /** What a query should list of a log: the matching records by position, in its order. */
  private static List<AuditRecord> expected(List<AuditRecord> log, AuditQuery query) {
    Comparator<AuditRecord> byPosition = Comparator.comparing(AuditRecord::position);
    return log.stream()
        .filter(query::matches)
        .filter(r -> query.after().map(a -> isPast(r.position(), a, query.order())).orElse(true))
        .sorted(query.order() == Order.ASC ? byPosition : byPosition.reversed())
        .toList();
  }

  private static boolean isPast(AuditPosition p, AuditPosition after, Order order) {
    return order == Order.ASC ? p.compareTo(after) > 0 : p.compareTo(after) < 0;
  }

  /**
   * Checks that the filters list exactly the matching records of the log in both orders, page by
   * page, and that they pick some records but not all, so the check means something.
   */
  private void assertListing(List<AuditRecord> log, Filters filters, int pageSize) {
    List<AuditRecord> ascending = expected(log, filters.query(pageSize, Order.ASC));
    assertThat(ascending).isNotEmpty().hasSizeLessThan(log.size());
    assertThat(listAll(filters.query(pageSize, Order.ASC))).isEqualTo(ascending);
    assertThat(listAll(filters.query(pageSize, Order.DESC))).isEqualTo(ascending.reversed());
  }

  // ---- appending and reading chains

  @Test
  void recordsComeBackExactlyAsAppended() {
    Instant at = now().plusMillis(123);
    AuditRecord first =
        AuditRecords.record(
            "node-1",
            0,
            at,
            "alice",
            "POST /v1/messages",
            "team.review",
            201,
            "",
            AuditRecord.GENESIS);
    AuditRecord second =
        AuditRecords.record(
            "node-1",
            1,
            at,
            "-",
            "GET /v1/messages/{id}",
            "-",
            401,
            "bad token: ünïcödé ✓ 日本語 𝄞\nsecond line, tab\t, quote \" and | # : , separators",
            first.hash());
    AuditRecord third =
        AuditRecords.record(
            "node-1",
            2,
            at.plusSeconds(1),
            "bob",
            "GET /v1/audit",
            "-",
            599,
            "x".repeat(5000),
            second.hash());

    audit().append(List.of(first, second, third));

    assertThat(audit().chain("node-1", 0, 10)).containsExactly(first, second, third);
    assertThat(listAll(AuditQuery.all(10))).containsExactly(first, second, third);
  }

  @Test
  void aChainIsReadFromAnIndexUpToALimit() {
    List<AuditRecord> log = AuditRecords.chain("node-1", 0, 20, now());
    audit().append(log.subList(0, 12));
    audit().append(log.subList(12, 20));
    audit().append(AuditRecords.chain("node-2", 0, 5, now()));

    assertThat(audit().chain("node-1", 0, 100)).isEqualTo(log);
    assertThat(audit().chain("node-1", 9, 3)).isEqualTo(log.subList(9, 12));
    assertThat(audit().chain("node-1", 18, 10)).isEqualTo(log.subList(18, 20));
    assertThat(audit().chain("node-1", 20, 10)).isEmpty();
    assertThat(audit().chain("node-3", 0, 10)).isEmpty();
  }

  @Test
  void chainsListsEveryChainByName() {
    assertThat(audit().chains()).isEmpty();

    audit().append(AuditRecords.chain("node-b", 0, 2, now()));
    audit().append(AuditRecords.chain("Node-c", 0, 1, now()));
    audit().append(AuditRecords.chain("node-a", 0, 3, now()));
    audit().append(AuditRecords.chain("node-b", 2, 1, now()));

    assertThat(audit().chains()).containsExactly("Node-c", "node-a", "node-b");
  }

  @Test
  void appendingNothingStoresNothing() {
    audit().append(List.of());

    assertThat(audit().chains()).isEmpty();
    assertThat(audit().query(AuditQuery.all(10)))
        .isEqualTo(new AuditPage(List.of(), Optional.empty()));
  }

  @Test
  void anAlreadyStoredRecordIsNeverReplaced() {
    List<AuditRecord> log = AuditRecords.chain("node-1", 0, 3, now());
    audit().append(log);
    AuditRecord forged =
        AuditRecords.record(
            "node-1", 1, now(), "mallory", "GET /v1/audit", "-", 200, "", log.get(0).hash());
    AuditRecord next = AuditRecords.chain("node-1", 3, 1, now()).getFirst();

    assertThatThrownBy(() -> audit().append(List.of(next, forged)))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(audit().chain("node-1", 0, 10)).isEqualTo(log);
  }

  @Test
  void aBatchHoldingOneRecordTwiceIsRefusedWhole() {
    List<AuditRecord> log = AuditRecords.chain("node-1", 0, 2, now());
    AuditRecord twice =
        AuditRecords.record(
            "node-1", 1, now(), "mallory", "GET /v1/audit", "-", 200, "", log.get(0).hash());

    assertThatThrownBy(() -> audit().append(List.of(log.get(0), log.get(1), twice)))
        .isInstanceOf(MailroomException.Conflict.class);

    assertThat(audit().chain("node-1", 0, 10)).isEmpty();
    assertThat(audit().chains()).isEmpty();
  }

  // ---- listing

  @Test
  void recordsAreListedByTimeThenChainThenIndex() {
    Instant t = now();
    List<AuditRecord> log = new ArrayList<>();
    // One millisecond holds chains whose names sort by their characters ('-' before 'B' before
    // '_' before 'a'), and one chain's indexes past 9 and 99 (which text order would misplace).
    for (String chain : List.of("z", "aB", "a-b", "a", "_x", "B", "0")) {
      log.addAll(AuditRecords.chain(chain, 0, 1, t));
    }
    List<AuditRecord> many = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      many.add(AuditRecords.record("a", i + 1, t, "alice", "GET /v1/inbox", "-", 200, "", "p"));
    }
    many.add(AuditRecords.record("a", 100, t, "alice", "GET /v1/inbox", "-", 200, "", "p"));
    log.addAll(many);
    log.addAll(AuditRecords.chain("a", 101, 1, t.minusMillis(1)));
    log.addAll(AuditRecords.chain("0", 1, 1, t.plusMillis(1)));
    audit().append(log);

    List<AuditRecord> ascending = expected(log, AuditQuery.all(1000));
    assertThat(ascending.stream().map(r -> r.chain() + "#" + r.index()).toList())
        .startsWith("a#101", "0#0", "B#0", "_x#0", "a#0", "a#1", "a#2")
        .containsSubsequence("a#9", "a#10", "a#11", "a#12", "a#100", "a-b#0", "aB#0", "z#0")
        .endsWith("z#0", "0#1");
    for (int pageSize : new int[] {1, 2, 5, 1000}) {
      assertThat(listAll(AuditQuery.all(pageSize))).isEqualTo(ascending);
      assertThat(listAll(withOrder(AuditQuery.all(pageSize), Order.DESC)))
          .isEqualTo(ascending.reversed());
    }
  }

  private static AuditQuery withOrder(AuditQuery q, Order order) {
    return new AuditQuery(
        q.actor(),
        q.action(),
        q.resource(),
        q.outcome(),
        q.since(),
        q.until(),
        q.after(),
        q.limit(),
        order);
  }

  @Test
  void anEmptyLogListsNothing() {
    assertThat(audit().query(AuditQuery.all(10)).records()).isEmpty();
    assertThat(audit().query(AuditQuery.all(10)).next()).isEmpty();
  }

  @Test
  void aPageHoldingTheLastRecordHasNoNextPosition() {
    audit().append(AuditRecords.chain("node-1", 0, 5, now()));

    AuditPage exactlyFull = audit().query(AuditQuery.all(5));
    AuditPage onePast = audit().query(AuditQuery.all(4));

    assertThat(exactlyFull.records()).hasSize(5);
    assertThat(exactlyFull.next()).isEmpty();
    assertThat(onePast.next()).contains(onePast.records().getLast().position());
  }

  @Test
  void pagesFollowEachOtherWithoutGapsOrRepeatsInBothOrders() {
    List<AuditRecord> log = mixedLog(400);

    for (int pageSize : new int[] {1, 7, 64, 1000}) {
      List<AuditRecord> ascending = expected(log, AuditQuery.all(pageSize));
      assertThat(listAll(AuditQuery.all(pageSize))).isEqualTo(ascending).hasSize(400);
      assertThat(listAll(withOrder(AuditQuery.all(pageSize), Order.DESC)))
          .isEqualTo(ascending.reversed());
    }
  }

  @Test
  void filtersByActor() {
    List<AuditRecord> log = mixedLog(300);

    assertListing(log, Filters.NONE.actor("alice"), 9);
    assertListing(log, Filters.NONE.actor("-"), 9);
  }

  @Test
  void filtersByAction() {
    List<AuditRecord> log = mixedLog(300);

    assertListing(log, Filters.NONE.action("DELETE /v1/subscriptions/{id}"), 9);
  }

  @Test
  void filtersByResource() {
    List<AuditRecord> log = mixedLog(300);

    assertListing(log, Filters.NONE.resource("team.review"), 9);
  }

  @Test
  void filtersByOutcome() {
    List<AuditRecord> log = mixedLog(300);

    assertListing(log, Filters.NONE.outcome(AuditOutcome.DENIED), 9);
    assertListing(log, Filters.NONE.outcome(AuditOutcome.FAILED), 9);
    assertListing(log, Filters.NONE.outcome(AuditOutcome.INVALID), 9);
  }

  @Test
  void sinceIsInclusiveAndUntilExclusive() {
    List<AuditRecord> log = mixedLog(300);
    Instant since = now().plusMillis(10);
    Instant until = now().plusMillis(20);

    List<AuditRecord> window =
        listAll(Filters.NONE.since(since).until(until).query(1000, Order.ASC));

    assertThat(window.getFirst().at()).isEqualTo(since);
    assertThat(window.getLast().at()).isEqualTo(until.minusMillis(1));
    assertListing(log, Filters.NONE.since(since).until(until), 6);
    assertListing(log, Filters.NONE.since(since), 6);
    assertListing(log, Filters.NONE.until(until), 6);
  }

  @Test
  void boundsBetweenMillisecondsHoldForTheRecordsMilliseconds() {
    List<AuditRecord> log = mixedLog(300);
    Instant since = now().plusMillis(10).plusNanos(500_000);
    Instant until = now().plusMillis(20).plusNanos(1);

    List<AuditRecord> window =
        listAll(Filters.NONE.since(since).until(until).query(1000, Order.ASC));

    assertThat(window.getFirst().at()).isEqualTo(now().plusMillis(11));
    assertThat(window.getLast().at()).isEqualTo(now().plusMillis(20));
    assertListing(log, Filters.NONE.since(since).until(until), 6);
  }

  @Test
  void aPositionOutsideTheTimeWindowListsTheWholeWindow() {
    List<AuditRecord> log = mixedLog(300);
    List<AuditRecord> ascending = expected(log, AuditQuery.all(1000));
    Filters window = Filters.NONE.since(now().plusMillis(10)).until(now().plusMillis(20));
    AuditPosition early = ascending.get(3).position();
    AuditPosition late = ascending.get(250).position();

    for (Order order : Order.values()) {
      for (AuditPosition after : List.of(early, late)) {
        AuditQuery q = window.query(7, order).withAfter(after);
        assertThat(listAll(q)).isEqualTo(expected(log, q));
      }
    }
    AuditQuery fromEarly = window.query(7, Order.ASC).withAfter(early);
    AuditQuery fromLate = window.query(7, Order.DESC).withAfter(late);
    assertThat(listAll(fromEarly)).hasSize(40);
    assertThat(listAll(fromLate)).hasSize(40);
  }

  @Test
  void everyFilterMustHold() {
    List<AuditRecord> log = mixedLog(600);

    assertListing(
        log,
        Filters.NONE
            .actor("bob")
            .outcome(AuditOutcome.OK)
            .since(now().plusMillis(5))
            .until(now().plusMillis(140)),
        4);
    assertListing(log, Filters.NONE.action("GET /v1/inbox").resource("-"), 4);
    Filters nobody = Filters.NONE.actor("carol").outcome(AuditOutcome.OK);
    assertThat(audit().query(nobody.query(10, Order.ASC)).records()).isEmpty();
  }

  @Test
  void listingGoesOnAfterAPositionThatIsNotStored() {
    List<AuditRecord> log = mixedLog(100);
    AuditRecord middle = expected(log, AuditQuery.all(1000)).get(50);
    // No record has this position: the middle record's time, a chain name no record has.
    AuditPosition between = new AuditPosition(middle.at(), middle.chain() + "0", 0);

    for (Order order : Order.values()) {
      AuditQuery q = withOrder(AuditQuery.all(10), order).withAfter(between);
      assertThat(listAll(q)).isEqualTo(expected(log, q)).isNotEmpty();
    }
  }

  // ---- retention

  @Test
  void purgeRemovesTheOldestRecordsBeforeTheCutoffAtMostMaxAtATime() {
    List<AuditRecord> log = mixedLog(40);
    List<AuditRecord> ascending = expected(log, AuditQuery.all(1000));
    Instant cutoff = now().plusMillis(5);
    long before = ascending.stream().filter(r -> r.at().isBefore(cutoff)).count();
    assertThat(before).isEqualTo(20);

    assertThat(audit().purgeBefore(cutoff, 3)).isEqualTo(3);
    assertThat(listAll(AuditQuery.all(1000))).isEqualTo(ascending.subList(3, 40));

    assertThat(audit().purgeBefore(cutoff, 100)).isEqualTo(17);
    assertThat(listAll(AuditQuery.all(1000))).isEqualTo(ascending.subList(20, 40));
    assertThat(listAll(AuditQuery.all(1000)).getFirst().at()).isEqualTo(cutoff);

    assertThat(audit().purgeBefore(cutoff, 100)).isZero();
  }

  @Test
  void purgeKeepsEachChainReadableFromItsFirstRemainingRecord() {
    List<AuditRecord> old = AuditRecords.chain("old", 0, 5, now());
    List<AuditRecord> current = AuditRecords.chain("current", 0, 10, now());
    audit().append(old);
    audit().append(current);

    assertThat(audit().purgeBefore(now().plusMillis(7), 1000)).isEqualTo(12);

    assertThat(audit().chains()).containsExactly("current");
    assertThat(audit().chain("old", 0, 10)).isEmpty();
    assertThat(audit().chain("current", 0, 10)).isEqualTo(current.subList(7, 10));
  }

  @Test
  void purgeOfAnEmptyLogRemovesNothing() {
    assertThat(audit().purgeBefore(now().plusSeconds(3600), 100)).isZero();
  }

  // ---- a larger log

  @Test
  void aLogOfThousandsOfRecordsIsListedFilteredAndPurged() {
    int size = 3_000;
    List<AuditRecord> log = new ArrayList<>();
    for (int c = 0; c < CHAINS.length; c++) {
      String prev = AuditRecord.GENESIS;
      for (int i = 0; i < size / CHAINS.length; i++) {
        boolean rare = i % 250 == 7;
        AuditRecord r =
            AuditRecords.record(
                CHAINS[c],
                i,
                now().plusMillis(i * 3L + c),
                rare ? "carol" : ACTORS[i % 2],
                ACTIONS[i % ACTIONS.length],
                RESOURCES[i % RESOURCES.length],
                STATUSES[i % STATUSES.length],
                "",
                prev);
        prev = r.hash();
        log.add(r);
      }
    }
    for (int from = 0; from < size; from += 250) {
      audit().append(log.subList(from, from + 250));
    }
    List<AuditRecord> ascending = expected(log, AuditQuery.all(1000));

    assertThat(listAll(AuditQuery.all(1000))).isEqualTo(ascending);
    assertThat(listAll(withOrder(AuditQuery.all(1000), Order.DESC)))
        .isEqualTo(ascending.reversed());
    assertListing(log, Filters.NONE.actor("carol"), 5);
    assertThat(audit().chain(CHAINS[1], 400, 1000)).isEqualTo(log.subList(1400, 2000));

    Instant cutoff = ascending.get(1000).at();
    assertThat(audit().purgeBefore(cutoff, 400)).isEqualTo(400);
    assertThat(audit().purgeBefore(cutoff, 400)).isEqualTo(400);
    assertThat(audit().purgeBefore(cutoff, 400)).isEqualTo(200);
    assertThat(listAll(AuditQuery.all(1000))).isEqualTo(ascending.subList(1000, size));
    assertThat(audit().chains()).containsExactly(CHAINS[2], CHAINS[0], CHAINS[1]);
  }
}
