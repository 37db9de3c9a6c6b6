package dev.mailroom.bench;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.store.sqlite.SqliteOptions;
import dev.mailroom.store.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * The latency of one filtered page of 50 from a mailbox of a million messages, straight on the
 * SQLite store (no HTTP), for a set of filter combinations, each page starting at a random point of
 * the mailbox so the benchmark does not read one cached page over and over.
 */
final class FilteredPage {
  static final MailboxName MAILBOX = MailboxName.of("bench.big");
  static final int SENDERS = 16;
  static final int TAGS = 20;
  private static final AgentId READER = AgentId.of("reader");

  private FilteredPage() {}

  /** Fills the mailbox with {@code count} varied messages; the reader marks a random half read. */
  static List<MessageId> populate(Storage storage, int count) throws Exception {
    List<MessageId> ids = new ArrayList<>(count);
    int writers = 64;
    try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<Future<List<MessageId>>> parts = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int part = w;
        parts.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(part);
                  List<MessageId> mine = new ArrayList<>();
                  for (int i = part; i < count; i += writers) {
                    SendResult r =
                        storage
                            .messages()
                            .send(
                                message(random, i),
                                new Route.ToMailbox(MAILBOX, MailboxKind.SHARED));
                    mine.add(r.id());
                    if (random.nextBoolean()) { // uniformly interleaved read state
                      storage.messages().markRead(r.id(), READER);
                    }
                  }
                  return mine;
                }));
      }
      for (Future<List<MessageId>> f : parts) {
        ids.addAll(f.get());
      }
    }
    ids.sort(null);
    return ids;
  }

  private static OutgoingMessage message(SplittableRandom random, int i) {
    int p = random.nextInt(100);
    Priority priority =
        p < 25 ? Priority.LOW : p < 75 ? Priority.NORMAL : p < 95 ? Priority.HIGH : Priority.URGENT;
    ContentType type =
        random.nextInt(10) == 0 ? ContentType.APPLICATION_JSON : ContentType.TEXT_PLAIN;
    String body =
        type == ContentType.APPLICATION_JSON
            ? "{\"n\":" + i + "}"
            : "message " + i + " " + "x".repeat(200);
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.of("t" + random.nextInt(TAGS)));
    if (random.nextBoolean()) {
      Tag second = Tag.of("t" + random.nextInt(TAGS));
      if (!tags.contains(second)) {
        tags.add(second);
      }
    }
    Draft draft =
        new Draft(
            SendMode.DIRECT,
            Optional.of(MAILBOX),
            type,
            Optional.empty(),
            Payload.ofText(body),
            priority,
            tags,
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return new OutgoingMessage(
        AgentId.of("s" + random.nextInt(SENDERS)), draft, Duration.ofDays(30));
  }

  /** The filter combinations measured, by name. Each gets a random start position. */
  static Map<String, Function<SplittableRandom, MessageFilter>> combinations(List<MessageId> ids) {
    Map<String, Function<SplittableRandom, MessageFilter>> c = new LinkedHashMap<>();
    c.put("none", r -> MessageFilter.NONE);
    c.put(
        "sender",
        r ->
            filter(
                Optional.of(sender(r)),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                Optional.empty()));
    c.put(
        "min_priority=urgent",
        r ->
            filter(
                Optional.empty(),
                Optional.of(Priority.URGENT),
                Optional.empty(),
                Set.of(),
                Optional.empty()));
    c.put(
        "tag",
        r ->
            filter(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Set.of(tag(r)),
                Optional.empty()));
    c.put(
        "content_type=json",
        r ->
            filter(
                Optional.empty(),
                Optional.empty(),
                Optional.of(ContentType.APPLICATION_JSON),
                Set.of(),
                Optional.empty()));
    c.put(
        "unread",
        r ->
            filter(
                Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), Optional.of(true)));
    c.put(
        "sender+tag",
        r ->
            filter(
                Optional.of(sender(r)),
                Optional.empty(),
                Optional.empty(),
                Set.of(tag(r)),
                Optional.empty()));
    c.put(
        "sender+min_priority=high+unread",
        r ->
            filter(
                Optional.of(sender(r)),
                Optional.of(Priority.HIGH),
                Optional.empty(),
                Set.of(),
                Optional.of(true)));
    c.put("since+until(10% window)", r -> window(ids, r));
    return c;
  }

  private static AgentId sender(SplittableRandom r) {
    return AgentId.of("s" + r.nextInt(SENDERS));
  }

  private static Tag tag(SplittableRandom r) {
    return Tag.of("t" + r.nextInt(TAGS));
  }

  private static MessageFilter filter(
      Optional<AgentId> sender,
      Optional<Priority> min,
      Optional<ContentType> type,
      Set<Tag> tags,
      Optional<Boolean> unread) {
    return new MessageFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        sender,
        min,
        type,
        tags,
        unread,
        Optional.empty());
  }

  private static MessageFilter window(List<MessageId> ids, SplittableRandom r) {
    int from = r.nextInt(ids.size() * 9 / 10);
    Instant since = ids.get(from).timestamp();
    Instant until = ids.get(from + ids.size() / 10 - 1).timestamp();
    return new MessageFilter(
        Optional.of(since),
        Optional.of(until),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** Measures every combination; returns one report per combination plus one over all of them. */
  static List<Report> measure(Storage storage, List<MessageId> ids, int iterations) {
    List<Report> reports = new ArrayList<>();
    Histogram overall = new Histogram(3_600_000_000_000L, 3);
    SplittableRandom random = new SplittableRandom(42);
    for (var e : combinations(ids).entrySet()) {
      Histogram h = new Histogram(3_600_000_000_000L, 3);
      long returned = 0;
      for (int i = 0; i < iterations * 2; i++) {
        MessageFilter f = e.getValue().apply(random);
        Order order = random.nextBoolean() ? Order.ASC : Order.DESC;
        MessageId position = ids.get(random.nextInt(ids.size()));
        MessageQuery q = new MessageQuery(MAILBOX, READER, f, Optional.of(position), order, 50);
        long start = System.nanoTime();
        int n = storage.messages().query(q).items().size();
        long took = System.nanoTime() - start;
        if (i >= iterations) { // the first half warms up
          h.recordValue(took);
          overall.recordValue(took);
          returned += n;
        }
      }
      reports.add(
          new Report("store_filtered_page")
              .put("filter", e.getKey())
              .put("mailbox_messages", ids.size())
              .put("avg_items", Report.round((double) returned / iterations))
              .latencies("", h));
    }
    reports.add(
        new Report("store_filtered_page")
            .put("filter", "ALL")
            .put("mailbox_messages", ids.size())
            .latencies("", overall));
    return reports;
  }

  static Storage open(Path file) {
    return SqliteStorage.open(SqliteOptions.of(file), Clock.systemUTC(), RetentionPolicy.DEFAULTS);
  }
}
