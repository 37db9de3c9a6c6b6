package dev.mailroom.bench;

import dev.mailroom.bench.compare.ServerProcess;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.HeadlessChromium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console against a big mailbox: the server time of the first page of a mailbox of a
 * million messages (the request the console's mail view makes, oldest first and newest first), how
 * long the page takes to show it in Chromium, and whether the live tail keeps the page responsive
 * while 1,000 messages a second arrive (the browser's own long-task measurement).
 *
 * <p>The mailbox is filled straight through the store ({@link FilteredPage#populate}) before the
 * server starts on it, as a process of its own; the browser is Debian's Chromium, headless, through
 * its chromedriver.
 */
final class ConsoleBench {
  private static final Pattern RECEIVED = Pattern.compile("(\\d+) received");

  /**
   * @param messages how many messages the mailbox holds
   * @param requests how many first pages are timed, each order
   * @param tailRate messages per second sent while the tail is open
   * @param tailSeconds how long they are sent
   */
  record Options(
      int messages,
      int requests,
      int tailRate,
      Duration tailSeconds,
      String serverHeap,
      String serverJavaOptions) {}

  private ConsoleBench() {}

  static List<Report> run(Path dir, Path out, Options o) throws Exception {
    Path work = dir.resolve("console");
    Path data = work.resolve("data");
    BenchServer.deleteRecursively(data);
    Files.createDirectories(data);
    List<Report> reports = new ArrayList<>();
    long start = System.nanoTime();
    try (Storage storage = FilteredPage.open(data.resolve("mailroom.db"))) {
      FilteredPage.populate(storage, o.messages());
    }
    reports.add(
        emit(
            new Report("console_populate")
                .put("messages", o.messages())
                .put("seconds", Report.round((System.nanoTime() - start) / 1e9)),
            out));
    try (ServerProcess server =
        BenchServer.startProcessOn(
            "mailroom-console", data, o.serverHeap(), o.serverJavaOptions())) {
      String mailbox = FilteredPage.MAILBOX.value();
      for (String order : List.of("asc", "desc")) {
        reports.add(emit(firstPages(server.port(), mailbox, order, o.requests()), out));
      }
      if (HeadlessChromium.installed()) {
        reports.addAll(inBrowser(server.port(), mailbox, o, out));
      } else {
        reports.add(
            emit(new Report("console_browser").put("skipped", "no chromium/chromedriver"), out));
      }
    }
    return reports;
  }

  /**
   * Times {@code requests} first pages of the mailbox as the console's mail view asks for them,
   * over one keep-alive connection, after as many unmeasured ones.
   */
  private static Report firstPages(int port, String mailbox, String order, int requests)
      throws IOException {
    String path =
        "/v1/mailboxes/" + mailbox + "/messages" + (order.equals("desc") ? "?order=desc" : "");
    long[] nanos = new long[requests];
    StringBuilder body = new StringBuilder();
    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
      for (int i = 0; i < requests; i++) {
        body.setLength(0);
        check(http.exchange("GET", path, BenchServer.ADMIN_TOKEN, new byte[0], body), body);
      }
      for (int i = 0; i < requests; i++) {
        body.setLength(0);
        long t0 = System.nanoTime();
        int status = http.exchange("GET", path, BenchServer.ADMIN_TOKEN, new byte[0], body);
        nanos[i] = System.nanoTime() - t0;
        check(status, body);
      }
    }
    Arrays.sort(nanos);
    return new Report("console_first_page")
        .put("order", order)
        .put("requests", requests)
        .put("page_bytes", body.length())
        .put("p50_ms", Report.ms(nanos[requests / 2]))
        .put("p99_ms", Report.ms(nanos[(int) Math.ceil(requests * 0.99) - 1]))
        .put("max_ms", Report.ms(nanos[requests - 1]));
  }

  private static void check(int status, StringBuilder body) throws IOException {
    if (status != 200) {
      throw new IOException("the first page answered " + status + ": " + body);
    }
  }

  private static List<Report> inBrowser(int port, String mailbox, Options o, Path out)
      throws Exception {
    WebDriver browser = HeadlessChromium.start();
    List<Report> reports = new ArrayList<>();
    try {
      String base = "http://127.0.0.1:" + port + "/console/";
      browser.get(base + "#/signin");
      new WebDriverWait(browser, Duration.ofSeconds(20))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("token")))
          .sendKeys(BenchServer.ADMIN_TOKEN);
      browser.findElement(By.id("signin")).click();
      new WebDriverWait(browser, Duration.ofSeconds(20))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("signout")));
      reports.add(emit(renderFirstPage(browser, base, mailbox), out));
      reports.add(emit(tail(browser, base, port, mailbox, o), out));
    } finally {
      browser.quit();
    }
    return reports;
  }

  /**
   * How long the mail view takes, in the browser, from a navigation to its first page of rows on
   * the screen: 20 times, after 3 unmeasured.
   */
  private static Report renderFirstPage(WebDriver browser, String base, String mailbox) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      browser.get(base + "#/");
      new WebDriverWait(browser, Duration.ofSeconds(20))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("signout")));
      Object took =
          js.executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "const t0 = performance.now();"
                  + "location.hash = '#/mail/' + arguments[0];"
                  + "const poll = () => document.querySelectorAll('.mail-row').length >= 50"
                  + " ? requestAnimationFrame(() => done(performance.now() - t0))"
                  + " : setTimeout(poll, 2);"
                  + "poll();",
              mailbox);
      if (i >= 3) {
        ms.add(((Number) took).doubleValue());
      }
    }
    ms.sort(null);
    return new Report("console_render_first_page")
        .put("loads", ms.size())
        .put("p50_ms", Report.round(ms.get(ms.size() / 2)))
        .put("max_ms", Report.round(ms.getLast()));
  }

  /**
   * Opens the tail of the mailbox, sends {@code tailRate} messages a second to it for {@code
   * tailSeconds} from another thread (batches of a tenth of a second), and reads what the page
   * measured: the longest task the browser reported on its main thread (Long Tasks API: tasks over
   * 50 ms), how many, the largest lag of a 50 ms timer, and how many messages the tail received.
   */
  private static Report tail(WebDriver browser, String base, int port, String mailbox, Options o)
      throws Exception {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    browser.get(base + "#/tail/" + mailbox);
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#tail-status[data-state='live']")));
    js.executeScript(
        "window.__bench = {longest: 0, longTasks: 0, lag: 0};"
            + "new PerformanceObserver(list => { for (const e of list.getEntries()) {"
            + "  window.__bench.longTasks++;"
            + "  window.__bench.longest = Math.max(window.__bench.longest, e.duration); } })"
            + ".observe({type: 'longtask'});"
            + "let last = performance.now();"
            + "setInterval(() => { const now = performance.now();"
            + "  window.__bench.lag = Math.max(window.__bench.lag, now - last - 50); last = now; },"
            + " 50);");
    AtomicLong sent = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    int perBatch = Math.max(1, o.tailRate() / 10);
    Thread sender =
        Thread.ofPlatform()
            .name("console-bench-sender")
            .start(
                () -> {
                  try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                    StringBuilder sink = new StringBuilder();
                    long next = System.nanoTime();
                    while (!stop.get()) {
                      StringBuilder batch = new StringBuilder("{\"messages\":[");
                      for (int i = 0; i < perBatch; i++) {
                        batch
                            .append(i == 0 ? "" : ",")
                            .append("{\"mode\":\"direct\",\"target\":\"")
                            .append(mailbox)
                            .append("\",\"content_type\":\"text/plain\",\"payload\":\"tail ")
                            .append(sent.get() + i)
                            .append(" — a line of the live tail\",\"tags\":[\"bench\"]}");
                      }
                      batch.append("]}");
                      sink.setLength(0);
                      int status =
                          http.exchange(
                              "POST",
                              "/v1/messages/batch",
                              BenchServer.ADMIN_TOKEN,
                              batch.toString().getBytes(StandardCharsets.UTF_8),
                              sink);
                      if (status != 201 && status != 200) {
                        throw new IOException("a batch send answered " + status + ": " + sink);
                      }
                      sent.addAndGet(perBatch);
                      next += 100_000_000L;
                      long wait = next - System.nanoTime();
                      if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                      }
                    }
                  } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
    Thread.sleep(o.tailSeconds());
    stop.set(true);
    sender.join();
    Thread.sleep(2_000); // the last batches reach the page
    @SuppressWarnings("unchecked")
    Map<String, Object> measured = (Map<String, Object>) js.executeScript("return window.__bench");
    String counts = browser.findElement(By.id("tail-counts")).getText();
    Matcher received = RECEIVED.matcher(counts);
    return new Report("console_tail")
        .put("rate_per_second", o.tailRate())
        .put("seconds", o.tailSeconds().toSeconds())
        .put("sent", sent.get())
        .put("received", received.find() ? Long.parseLong(received.group(1)) : -1)
        .put("long_tasks", ((Number) measured.get("longTasks")).longValue())
        .put("longest_task_ms", Report.round(((Number) measured.get("longest")).doubleValue()))
        .put("max_timer_lag_ms", Report.round(((Number) measured.get("lag")).doubleValue()));
  }

  private static Report emit(Report r, Path out) throws IOException {
    r.emit(out);
    return r;
  }
}
