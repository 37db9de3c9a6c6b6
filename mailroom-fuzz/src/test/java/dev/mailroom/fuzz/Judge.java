package dev.mailroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Sends fuzzed requests one at a time and judges each answer: {@link Invariants}, {@link
 * JsonRpc#check} for MCP requests, and the store, which a refused request (4xx) must leave as it
 * was ({@link StoreWriteCounter}). What is wrong goes to the run's {@link FuzzReport}. Not
 * thread-safe: one per fuzz run.
 */
final class Judge {
  private final FuzzServer server;
  private final RawHttp http;
  private final FuzzReport report;
  private final long heapBefore;

  /** A request as sent and its answer. */
  record Exchange(RawHttp.Request request, RawHttp.Response answer) {}

  /** How the server came out of a run. */
  record Outcome(RawHttp.Response health, long heapGrowth) {
    void assertHealthyWithBoundedHeap() {
      assertThat(health.status()).as("%s", health).isEqualTo(200);
      assertThat(heapGrowth).as("live heap growth in bytes").isLessThan(FuzzServer.HEAP_BOUND);
    }
  }

  /** Starts judging a run; measures the live heap to compare with at the end. */
  Judge(FuzzServer server, RawHttp http, FuzzReport report) {
    this.server = server;
    this.http = http;
    this.report = report;
    this.heapBefore = FuzzServer.liveHeap();
  }

  /** Sends the draft (completed by {@link RawHttp#complete}) and reports what is wrong. */
  Exchange exchange(int iteration, String path, Draft d) {
    StoreWriteCounter counter = server.counter();
    RawHttp.Request request = http.complete(d.request());
    long changes = counter.requestChanges();
    long sequence = counter.sequence();
    long start = System.nanoTime();
    RawHttp.Response answer = http.send(request);
    report.took(System.nanoTime() - start, iteration + ": " + d);
    String route = FuzzReport.route(d.method, path);
    report.answered(route, answer.status());
    boolean changed = counter.requestChanges() != changes;
    for (Invariants.Violation v : judge(server, request, answer, d.names, changed, sequence)) {
      String details =
          "request: " + d + "\n" + request + "\n\nanswer:\n" + answer + "\n\nwrong: " + v;
      String key = route + " -> " + answer.status() + ": " + v.kind();
      report.failed(key, iteration, request.bytes(), details);
    }
    return new Exchange(request, answer);
  }

  /**
   * What is wrong with an answer to a request.
   *
   * @param server the server: its store's changes, where it keeps its data (no answer may say)
   * @param names the request's parameter and field names a 400 may name (its headers count too)
   * @param changed whether requests changed the store while it was served
   * @param sequence the store's change sequence before it was sent, to list the changes
   */
  static List<Invariants.Violation> judge(
      FuzzServer server,
      RawHttp.Request request,
      RawHttp.Response answer,
      Collection<String> names,
      boolean changed,
      long sequence) {
    List<String> named = new ArrayList<>(names); // a 400 may name any header sent, too
    request.headers().forEach(h -> named.add(h.name()));
    List<Invariants.Violation> wrong = new ArrayList<>(Invariants.check(request, answer, named));
    JsonRpc.check(request, answer, changed).ifPresent(wrong::add);
    String where = server.storeDirectory().toString();
    if (answer.text().contains(where) && !adminHealth(request)) {
      wrong.add(new Invariants.Violation("the answer shows where the data lives", where));
    }
    if (answer.status() >= 400 && changed) {
      String changes = server.counter().since(sequence).toString();
      wrong.add(new Invariants.Violation("a refused request changed the store", changes));
    }
    return wrong;
  }

  /**
   * Whether a request may be an admin's {@code GET /health}, whose answer shows the store's details
   * (its file among them) by design. That other callers get the short form is checked by
   * RequestHygieneIT in the server's tests, which knows who is an admin.
   */
  private static boolean adminHealth(RawHttp.Request request) {
    return request.method().equals("GET")
        && request.target().startsWith("/health")
        && request.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Authorization"));
  }

  /** Ends the run: checks health, writes the report, measures the heap, prints the summary. */
  Outcome finish() {
    RawHttp.Response health =
        http.send(http.complete(new RawHttp.Request("GET", "/health", List.of(), new byte[0])));
    Path written = report.write();
    long growth = FuzzServer.liveHeap() - heapBefore;
    System.out.println(report.summary());
    System.out.printf(
        "report: %s; live heap grew by %d KiB%n", written.toAbsolutePath(), growth / 1024);
    return new Outcome(health, growth);
  }
}
