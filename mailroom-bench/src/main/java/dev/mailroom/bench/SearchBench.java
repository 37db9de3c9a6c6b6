package dev.mailroom.bench;

import dev.mailroom.bench.compare.ServerProcess;
import dev.mailroom.core.AgentId;
import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.Payload;
import dev.mailroom.core.Priority;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.store.sqlite.SqliteOptions;
import dev.mailroom.store.sqlite.SqliteStorage;
import dev.mailroom.testkit.MutableClock;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Full-text search over a million messages on SQLite (issue 19, part 2): the latency of {@code GET
 * /v1/search} as an ordinary agent, for a mix of queries, through the real server.
 *
 * <p>The messages are written straight through the store in batches of 1,000 (one transaction each)
 * before the server starts on the file, as a process of its own; a file left by an earlier run with
 * as many messages is reused ({@code --fill no}). Bodies are 12 to 40 words drawn from a vocabulary
 * of 20,000 made-up words with a Zipf distribution (s = 1), so a few words are in most messages and
 * most words in few, as in prose; each message has one or two of 20 tags and one of 16 senders, in
 * one shared mailbox.
 *
 * <p>The queries, each timed {@code --requests} times with a first page of 20: the commonest word
 * (in about nine messages of ten), a common word (rank 50), a rare word (rank 5,000 to 15,000), a
 * phrase of two words that follow each other in some message, a prefix of three letters, and a
 * common word with a tag and a sender filter, and a common word in the last day's messages.
 */
final class SearchBench {
  static final MailboxName MAILBOX = MailboxName.of("bench.search");
  private static final int VOCABULARY = 20_000;
  private static final int SENDERS = 16;
  private static final int TAGS = 20;
  private static final int BATCH = 1_000;

  /** How many messages are written between two openings of the store. */
  private static final int REOPEN = 50_000;

  /** How long before now the messages' times spread over. */
  static final Duration SPAN = Duration.ofDays(100);

  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * @param messages how many messages the store holds
   * @param requests how many searches are timed per query kind (after as many unmeasured)
   * @param fill whether to write the store even if a file of that size is there
   */
  record Options(
      int messages, int requests, boolean fill, String serverHeap, String serverJavaOptions) {}

  private SearchBench() {}

  /** Made-up words, distinct, of 4 to 9 letters, the same on every run. */
  static String[] vocabulary() {
    String consonants = "bcdfghjklmnprstvwz";
    String vowels = "aeiou";
    SplittableRandom r = new SplittableRandom(19);
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    while (seen.size() < VOCABULARY) {
      int syllables = 2 + r.nextInt(3);
      StringBuilder w = new StringBuilder();
      for (int s = 0; s < syllables; s++) {
        w.append(consonants.charAt(r.nextInt(consonants.length())));
        w.append(vowels.charAt(r.nextInt(vowels.length())));
        if (r.nextInt(3) == 0) {
          w.append(consonants.charAt(r.nextInt(consonants.length())));
        }
      }
      seen.add(w.toString());
    }
    return seen.toArray(String[]::new);
  }

  /** Draws word ranks (0 the commonest) with a Zipf distribution, s = 1. */
  static final class Zipf {
    private final double[] cumulative;

    Zipf(int n) {
      cumulative = new double[n];
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += 1.0 / (i + 1);
        cumulative[i] = sum;
      }
      for (int i = 0; i < n; i++) {
        cumulative[i] /= sum;
      }
    }

    int next(SplittableRandom r) {
      double u = r.nextDouble();
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }

  static String body(SplittableRandom r, Zipf zipf, String[] words) {
    int length = 12 + r.nextInt(29);
    StringBuilder b = new StringBuilder(length * 8);
    for (int i = 0; i < length; i++) {
      if (i > 0) {
        b.append(i % 9 == 0 ? ". " : " ");
      }
      b.append(words[zipf.next(r)]);
    }
    return b.append('.').toString();
  }

  /**
   * Writes {@code count} messages into the SQLite file through the store, a batch of 1,000 per
   * transaction, their times spread evenly over the {@link #SPAN} before now, as a server that has
   * run for a while holds them. The store is closed and opened again every {@link #REOPEN}
   * messages: written in one go, the fill slows down as it goes (400,000 messages in its first
   * three minutes, against a million in one this way), the writer's time going into the first write
   * statement of each send. The write-ahead log is not the cause (the store's checkpointer keeps it
   * near 64 MiB under a writer that never pauses); what is, is not known yet.
   */
  static void populate(Path file, int count) {
    String[] words = vocabulary();
    Zipf zipf = new Zipf(VOCABULARY);
    SplittableRandom r = new SplittableRandom(7);
    MutableClock clock = MutableClock.of(Instant.now().minus(SPAN));
    Route route = new Route.ToMailbox(MAILBOX, MailboxKind.SHARED);
    List<MessageStore.Send> batch = new ArrayList<>(BATCH);
    Duration step = SPAN.dividedBy(Math.max(1, count / BATCH));
    for (int from = 0; from < count; from += REOPEN) {
      try (Storage storage =
          SqliteStorage.open(SqliteOptions.of(file), clock, RetentionPolicy.DEFAULTS)) {
        for (int i = from; i < Math.min(count, from + REOPEN); i++) {
          batch.add(new MessageStore.Send(message(r, zipf, words), route));
          if (batch.size() == BATCH || i == count - 1) {
            storage.messages().sendAll(batch);
            clock.advance(step);
            batch.clear();
          }
        }
      }
    }
  }

  private static OutgoingMessage message(SplittableRandom r, Zipf zipf, String[] words) {
    List<Tag> tags = new ArrayList<>(2);
    tags.add(Tag.of("t" + r.nextInt(TAGS)));
    if (r.nextBoolean()) {
      Tag second = Tag.of("t" + r.nextInt(TAGS));
      if (!tags.contains(second)) {
        tags.add(second);
      }
    }
    Draft draft =
        new Draft(
            SendMode.DIRECT,
            Optional.of(MAILBOX),
            ContentType.TEXT_PLAIN,
            Optional.empty(),
            Payload.ofText(body(r, zipf, words)),
            Priority.NORMAL,
            tags,
            "{}",
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return new OutgoingMessage(AgentId.of("s" + r.nextInt(SENDERS)), draft, Duration.ofDays(365));
  }

  static List<Report> run(Path dir, Path out, Options o) throws Exception {
    Path data = dir.resolve("search").resolve("data-" + o.messages());
    Path file = data.resolve("mailroom.db");
    List<Report> reports = new ArrayList<>();
    if (o.fill() || !Files.exists(data.resolve("filled"))) {
      BenchServer.deleteRecursively(data);
      Files.createDirectories(data);
      long start = System.nanoTime();
      populate(file, o.messages());
      Files.writeString(data.resolve("filled"), Integer.toString(o.messages()));
      reports.add(
          emit(
              new Report("search_populate")
                  .put("messages", o.messages())
                  .put("seconds", Report.round((System.nanoTime() - start) / 1e9))
                  .put("file_mb", Files.size(file) >> 20),
              out));
    }
    try (ServerProcess server =
        BenchServer.startProcessOn(
            "mailroom-search", data, o.serverHeap(), o.serverJavaOptions())) {
      try (RawHttp http = new RawHttp("127.0.0.1", server.port())) {
        String token = agent(http);
        Histogram all = new Histogram(3_600_000_000_000L, 3);
        for (Map.Entry<String, List<String>> kind : queries().entrySet()) {
          Report r = time(http, token, kind.getKey(), kind.getValue(), o.requests(), all);
          reports.add(emit(r, out));
        }
        reports.add(
            emit(
                new Report("search")
                    .put("query", "all")
                    .put("messages", o.messages())
                    .latencies("", all),
                out));
      }
    }
    return reports;
  }

  /** The query strings of each kind (URL-encoded query parameters), cycled through. */
  static Map<String, List<String>> queries() {
    String[] words = vocabulary();
    Zipf zipf = new Zipf(VOCABULARY);
    SplittableRandom r = new SplittableRandom(11);
    Map<String, List<String>> q = new LinkedHashMap<>();
    q.put("commonest_word", List.of(param(words[0])));
    q.put("common_word", List.of(param(words[49]), param(words[50]), param(words[51])));
    List<String> rare = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rare.add(param(words[5_000 + r.nextInt(10_000)]));
    }
    q.put("rare_word", rare);
    List<String> phrases = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String[] body = body(r, zipf, words).replace(".", "").split(" ");
      int at = r.nextInt(body.length - 1);
      phrases.add(param("\"" + body[at] + " " + body[at + 1] + "\""));
    }
    q.put("phrase", phrases);
    List<String> prefixes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      prefixes.add(param(words[100 + r.nextInt(2_000)].substring(0, 3) + "*"));
    }
    q.put("prefix", prefixes);
    List<String> filtered = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      filtered.add(
          param(words[r.nextInt(20)])
              + "&tag=t"
              + r.nextInt(TAGS)
              + "&sender=s"
              + r.nextInt(SENDERS));
    }
    q.put("word_tag_sender", filtered);
    List<String> recent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      recent.add(param(words[r.nextInt(200)]) + "&max_age_seconds=86400");
    }
    q.put("word_last_day", recent);
    return q;
  }

  private static String param(String q) {
    return "q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
  }

  /** Registers the agent that searches; returns its token. */
  private static String agent(RawHttp http) throws IOException {
    StringBuilder body = new StringBuilder();
    byte[] request =
        ("{\"id\":\"searcher-" + System.nanoTime() + "\",\"roles\":[\"agent\"]}")
            .getBytes(StandardCharsets.UTF_8);
    int status = http.exchange("POST", "/v1/agents", BenchServer.ADMIN_TOKEN, request, body);
    Matcher m = TOKEN.matcher(body);
    if (status != 201 || !m.find()) {
      throw new IOException("creating the searching agent answered " + status + ": " + body);
    }
    return m.group(1);
  }

  private static Report time(
      RawHttp http, String token, String kind, List<String> queries, int requests, Histogram all)
      throws IOException {
    Histogram h = new Histogram(3_600_000_000_000L, 3);
    StringBuilder body = new StringBuilder();
    long hits = 0;
    for (int i = 0; i < 2 * requests; i++) {
      String path = "/v1/search?limit=20&" + queries.get(i % queries.size());
      body.setLength(0);
      long t0 = System.nanoTime();
      int status = http.exchange("GET", path, token, new byte[0], body);
      long nanos = System.nanoTime() - t0;
      if (status != 200) {
        throw new IOException(path + " answered " + status + ": " + body);
      }
      if (i >= requests) {
        h.recordValue(nanos);
        all.recordValue(nanos);
        hits += count(body, "\"snippet\"");
      }
    }
    return new Report("search")
        .put("query", kind)
        .put("requests", requests)
        .put("mean_hits", Report.round((double) hits / requests))
        .latencies("", h);
  }

  private static int count(CharSequence text, String needle) {
    int n = 0;
    for (int at = text.toString().indexOf(needle);
        at >= 0;
        at = text.toString().indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static Report emit(Report r, Path out) throws IOException {
    r.emit(out);
    return r;
  }
}
