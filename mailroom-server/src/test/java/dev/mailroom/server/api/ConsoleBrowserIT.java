package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailroom.core.delivery.DeliverySettings;
import dev.mailroom.testkit.HeadlessChromium;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The web console in a real browser: Debian's Chromium, headless, driven through its chromedriver.
 * Each test signs a person in through the page, as a person would, against a real server (on
 * SQLite, and on Redis in the second execution). Screenshots of the views go to {@code
 * target/console-screenshots}.
 */
class ConsoleBrowserIT {
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  /** Deliveries left unacknowledged go to the dead-letter queue within about 300 ms. */
  @RegisterExtension
  static final MailroomApi api =
      new MailroomApi(
          b -> b.delivery(DeliverySettings.DEFAULTS.withRetry(Duration.ofMillis(100), 1, 0)));

  private @Nullable ChromeDriver browser;

  @BeforeAll
  static void needsChromium() throws IOException {
    if (!HeadlessChromium.installed() && System.getenv("CI") != null) {
      fail("CI must have chromium and chromium-driver (.ci/run installs them)");
    }
    assumeTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver");
    Files.createDirectories(SCREENSHOTS);
  }

  /** A fresh chromedriver and browser for each test: quitting the browser stops its driver. */
  @BeforeEach
  void openBrowser() {
    browser = HeadlessChromium.start();
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aMessageAppearsInTheTailWithinASecondAndAReplyReachesTheAgentsStream() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    signIn(MailroomApi.ADMIN_TOKEN);
    open("#/tail/" + bob.id());
    waitFor(By.cssSelector("#tail-status[data-state='live']"), Duration.ofSeconds(10));

    try (StreamClient.Ws aliceStream = Streams.connect(api, alice, "")) {
      String id =
          direct(
              alice,
              bob,
              "text/markdown",
              "**Build 42** is red: can someone look?",
              "thread_id",
              "build-42");
      WebElement row =
          waitFor(By.cssSelector(".tail-row[data-id='" + id + "']"), Duration.ofMillis(1_000));
      screenshot("tail");

      row.click();
      waitFor(By.cssSelector("#payload strong"), Duration.ofSeconds(5));
      assertThat(text("#payload")).contains("Build 42 is red");
      screenshot("message");

      click("#view-thread");
      WebElement reply = waitFor(By.id("thread-reply-text"), Duration.ofSeconds(5));
      reply.sendKeys("Looking at it now — *the admin*");
      screenshot("thread");
      click("#thread-reply-send");

      StreamClient.Event pushed = aliceStream.nextMessage();
      JsonNode message = pushed.json().get("message");
      assertThat(Json.text(message, "sender")).isEqualTo("admin");
      assertThat(Json.text(message, "in_reply_to")).isEqualTo(id);
      assertThat(Json.text(message, "thread_id")).isEqualTo("build-42");
      assertThat(Json.text(message, "payload")).isEqualTo("Looking at it now — *the admin*");
    }
    assertNoConsoleErrors();
  }

  @Test
  void markupAndScriptsAnAgentWroteRenderInertEverywhere() {
    Agent mallory = api.newAgent("mallory");
    Agent bob = api.newAgent("bob");
    List<Map<String, Object>> hostile =
        List.of(
            Map.of(
                "content_type", "text/plain",
                "payload", "<img src=x onerror=\"window.__pwned='plain'\">"),
            Map.of(
                "content_type",
                "text/markdown",
                "payload",
                "[click me](javascript:window.__pwned='link')\n\n"
                    + "<img src=x onerror=\"window.__pwned='md-img'\">\n\n"
                    + "```html\n<script>window.__pwned='fence'</script>\n```\n\n"
                    + "<script>window.__pwned='md-script'</script>"),
            Map.of(
                "content_type", "text/code",
                "language", "html",
                "payload", "<script>window.__pwned='code'</script><img src=x onerror=alert(1)>"),
            Map.of(
                "content_type",
                "application/json",
                "payload",
                Map.of("html", "<img src=x onerror=\"window.__pwned='json'\">")));
    signIn(MailroomApi.ADMIN_TOKEN);
    open("#/tail/" + bob.id());
    waitFor(By.cssSelector("#tail-status[data-state='live']"), Duration.ofSeconds(10));
    List<String> ids =
        hostile.stream()
            .map(
                fields -> {
                  Map<String, Object> body = new HashMap<>(fields);
                  body.put("mode", "direct");
                  body.put("target", bob.id());
                  body.put("thread_id", "hostile");
                  body.put("tags", List.of("x-<b>tag</b>".replaceAll("[<>/]", "")));
                  return Json.text(api.as(mallory).sendOk(body), "id");
                })
            .toList();
    for (String id : ids) {
      waitFor(By.cssSelector(".tail-row[data-id='" + id + "']"), Duration.ofSeconds(5));
    }
    assertInert("the tail");

    for (String id : ids) {
      open("#/message/" + id);
      waitFor(By.cssSelector("#message[data-id='" + id + "'] #payload"), Duration.ofSeconds(5));
      assertInert("message " + id);
    }
    assertThat(browser().findElements(By.cssSelector("#payload a[href^='javascript']"))).isEmpty();
    open("#/message/" + ids.get(1));
    waitFor(
        By.cssSelector("#message[data-id='" + ids.get(1) + "'] #payload"), Duration.ofSeconds(5));
    assertThat(text("#payload")).contains("click me", "<script>window.__pwned='fence'</script>");
    screenshot("hostile-markdown");

    open("#/thread/" + bob.id() + "/hostile");
    waitFor(By.cssSelector(".thread-message"), Duration.ofSeconds(5));
    assertThat(browser().findElements(By.cssSelector(".thread-message"))).hasSize(ids.size());
    assertInert("the thread");
  }

  @Test
  void anObserverSeesMailButNoActionControls() {
    Agent observer = api.newAgent("watch", "roles", List.of("observer"));
    Agent alice = api.newAgent("alice");
    String topic = "console-" + alice.id() + ".news";
    String id =
        Json.text(
            api.as(alice)
                .sendOk(
                    Map.of(
                        "mode", "topic",
                        "target", topic,
                        "content_type", "text/plain",
                        "payload", "for bob")),
            "id");
    signIn(observer.token());
    assertThat(browser().findElements(By.id("nav-compose"))).isEmpty();
    open("#/mail/" + topic);
    waitFor(By.cssSelector(".mail-row[data-id='" + id + "']"), Duration.ofSeconds(5));
    open("#/message/" + id);
    waitFor(By.cssSelector("#message[data-id='" + id + "'] #payload"), Duration.ofSeconds(5));
    assertThat(text("#payload")).contains("for bob");
    assertThat(browser().findElements(By.id("reply"))).isEmpty();
    assertThat(browser().findElements(By.id("mark-read"))).isEmpty();
    screenshot("observer-message");
  }

  @Test
  void aSignedOutBrowserIsSentToSignInAndSigningOutEndsTheSession() {
    open("#/mail");
    waitFor(By.id("token"), Duration.ofSeconds(5));
    signIn(MailroomApi.ADMIN_TOKEN);
    waitFor(By.id("overview"), Duration.ofSeconds(5));
    screenshot("overview");
    click("#signout");
    waitFor(By.id("token"), Duration.ofSeconds(5));
    Object status =
        ((JavascriptExecutor) browser())
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch('/console/session', {credentials: 'same-origin'})"
                    + ".then(r => done(r.status), e => done(String(e)));");
    assertThat(status).isEqualTo(401L);
  }

  @Test
  void aDeadLetterReplayedFromTheDlqViewReachesTheAgentAgain() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    try (StreamClient.Ws bobStream = Streams.connect(api, bob, "")) {
      String id = direct(alice, bob, "text/plain", "nobody acknowledges me");
      for (int attempt = 1; attempt <= 3; attempt++) {
        assertThat(bobStream.nextMessage().json().get("attempt").asInt()).isEqualTo(attempt);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> api.as(bob).get("/v1/dlq/" + id).status() == 200);

      signIn(MailroomApi.ADMIN_TOKEN);
      open("#/dlq");
      click(".dlq-row[data-id='" + id + "']");
      waitFor(By.id("dlq-replay"), Duration.ofSeconds(5));
      screenshot("dlq");
      click("#dlq-replay");
      waitFor(By.id("dlq-result"), Duration.ofSeconds(5));

      StreamClient.Event replayed = bobStream.nextMessage();
      assertThat(Json.text(replayed.json(), "id")).isEqualTo(id);
      assertThat(replayed.json().get("attempt").asInt()).isEqualTo(1);
      bobStream.ack(List.of(id));
    }
  }

  @Test
  void aPermissionIsExplainedInTheAccessView() {
    Agent alice = api.newAgent("alice");
    String secret = "console-" + alice.id() + ".secret";
    String rule = api.granted("*", "deny", secret, "read");
    signIn(MailroomApi.ADMIN_TOKEN);
    open("#/access");
    waitFor(By.cssSelector(".acl-row[data-id='" + rule + "']"), Duration.ofSeconds(5));
    type("#explain-agent", alice.id());
    new Select(browser().findElement(By.id("explain-action"))).selectByValue("read");
    type("#explain-resource", secret);
    click("#explain-run");
    WebElement decision =
        waitFor(By.cssSelector("#explain-decision[data-decision]"), Duration.ofSeconds(5));
    assertThat(decision.getAttribute("data-decision")).isEqualTo("deny");
    assertThat(text("#explain-result")).contains(rule);
    screenshot("access");
  }

  @Test
  void anAgentsThreadsAreListedWithTheirCountsAndOpenAsConversations() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    direct(alice, bob, "text/plain", "first of plan", "thread_id", "plan");
    direct(alice, bob, "text/plain", "on the review", "thread_id", "review");
    direct(alice, bob, "text/plain", "second of plan", "thread_id", "plan");
    signIn(bob.token());
    open("#/thread");
    waitFor(By.cssSelector(".thread-row[data-thread='review']"), Duration.ofSeconds(5));
    List<WebElement> rows = browser().findElements(By.cssSelector(".thread-row"));
    assertThat(rows)
        .extracting(r -> r.getDomAttribute("data-thread"))
        .containsExactly("plan", "review");
    assertThat(rows.getFirst().getText()).contains("2").contains(alice.id());
    screenshot("threads");

    rows.getFirst().findElement(By.tagName("a")).click();
    waitFor(By.cssSelector(".thread-message"), Duration.ofSeconds(5));
    assertThat(browser().findElements(By.cssSelector(".thread-message"))).hasSize(2);
    assertThat(text("#thread-status")).contains("2 messages");
    assertNoConsoleErrors();
  }

  @Test
  void anAgentEditsItsProfileAndAnAdminRetiresOneAndDeletesAnother() {
    Agent carol = api.newAgent("carol");
    Agent dave = api.newAgent("dave");
    signIn(carol.token());
    open("#/agents/" + carol.id());
    type("#profile-display-name", "Carol <img src=x onerror=window.__pwned=1>");
    type("#profile-description", "Reviews code.");
    type("#profile-tags", "review, ci");
    click("#profile-save");
    new WebDriverWait(browser(), Duration.ofSeconds(5))
        .until(d -> text("#profile-result").equals("Saved."));
    assertThat(text("#agent-display-name")).isEqualTo("Carol <img src=x onerror=window.__pwned=1>");
    assertThat(text("#agent-tags")).isEqualTo("ci, review");
    JsonNode saved = api.admin().get("/v1/agents/" + carol.id()).json();
    assertThat(Json.text(saved, "description")).isEqualTo("Reviews code.");
    assertInert("the agent page");
    ((JavascriptExecutor) browser()).executeScript("window.scrollTo(0, 0)");
    screenshot("agent-profile");

    click("#signout");
    // Signed out only once the sign-in page shows: loading a page before that races the sign-out.
    waitFor(By.id("token"), Duration.ofSeconds(5));
    signIn(MailroomApi.ADMIN_TOKEN);
    open("#/agents/" + carol.id());
    click("#agent-retire");
    click("#agent-retire-confirm");
    waitFor(By.cssSelector("#agent-status[data-status='retired']"), Duration.ofSeconds(5));
    assertThat(text("#agent-lifecycle-result")).contains("Retired");
    assertThat(api.as(carol).get("/v1/whoami").status()).isEqualTo(401);
    ((JavascriptExecutor) browser()).executeScript("window.scrollTo(0, 0)");
    screenshot("agent-retired");

    open("#/agents/" + dave.id());
    click("#agent-delete");
    click("#agent-delete-confirm");
    waitFor(By.id("agent-deleted"), Duration.ofSeconds(5));
    assertThat(api.admin().get("/v1/agents/" + dave.id()).status()).isEqualTo(404);
    assertNoConsoleErrors();
  }

  @Test
  void anEnrollmentShowsItsSecretOnceAndIsRevoked() {
    signIn(MailroomApi.ADMIN_TOKEN);
    open("#/enrollments");
    type("#enrollment-uses", "2");
    type("#enrollment-prefix", "cw-");
    click("#enrollment-create");
    WebElement shown = waitFor(By.id("enrollment-secret"), Duration.ofSeconds(5));
    String secret = shown.getDomProperty("value");
    assertThat(secret).startsWith("mre_");
    String id =
        Json.text(api.admin().get("/v1/enrollments").json().get("enrollments").get(0), "id");
    screenshot("enrollments");

    ApiClient enroller = api.as(new Agent("enroller", secret));
    String worker = "cw-" + System.nanoTime();
    assertThat(enroller.post("/v1/agents/enroll", Json.write(Json.object("id", worker))).status())
        .isEqualTo(201);

    // Shown once: the page opened again lists the enrollment, one use spent, and no secret.
    open("#/");
    open("#/enrollments");
    WebElement row =
        waitFor(By.cssSelector(".enrollment-row[data-id='" + id + "']"), Duration.ofSeconds(5));
    assertThat(row.getText()).contains("1 of 2");
    assertThat(browser().findElements(By.id("enrollment-secret"))).isEmpty();
    assertThat(browser().getPageSource()).doesNotContain(secret);

    row.findElement(By.cssSelector(".enrollment-revoke")).click();
    row.findElement(By.cssSelector(".confirm-yes")).click();
    new WebDriverWait(browser(), Duration.ofSeconds(5))
        .until(
            d -> d.findElements(By.cssSelector(".enrollment-row[data-id='" + id + "']")).isEmpty());
    assertThat(
            enroller
                .post("/v1/agents/enroll", Json.write(Json.object("id", worker + "-2")))
                .status())
        .isEqualTo(401);
    assertNoConsoleErrors();
  }

  @Test
  void everyViewFitsANarrowScreenAndEveryActionIsReachedByTheKeyboard() {
    Agent alice = api.newAgent("alice");
    Agent bob = api.newAgent("bob");
    String id = direct(alice, bob, "text/markdown", "a **narrow** look", "thread_id", "narrow");
    signIn(MailroomApi.ADMIN_TOKEN);
    List<String> views =
        List.of(
            "#/",
            "#/mail/" + bob.id(),
            "#/message/" + id,
            "#/thread/" + bob.id() + "/narrow",
            "#/thread",
            "#/tail/" + bob.id(),
            "#/compose",
            "#/dlq",
            "#/agents",
            "#/agents/" + bob.id(),
            "#/enrollments",
            "#/access",
            "#/audit",
            "#/topics");
    for (String view : views) { // each view once at full width, for docs/CONSOLE.md
      open(view);
      waitFor(By.cssSelector("main#main > *:not(.muted)"), Duration.ofSeconds(5));
      waitQuietly();
      screenshot(
          "view-"
              + view.replaceAll("^#/", "")
                  .replaceAll("^agents/.*", "agent")
                  .replaceAll("/.*", "")
                  .replaceAll("^$", "overview"));
    }
    browser().manage().window().setSize(new Dimension(390, 844));
    JavascriptExecutor js = (JavascriptExecutor) browser();
    for (String view : views) {
      open(view);
      waitFor(By.cssSelector("main#main > *:not(.muted)"), Duration.ofSeconds(5));
      waitQuietly();
      Object width = js.executeScript("return document.documentElement.scrollWidth");
      assertThat(((Number) width).intValue())
          .as("page width of %s at 390 px", view)
          .isLessThanOrEqualTo(390);
      assertEveryControlIsReachedByTab(view);
      if (view.startsWith("#/message/")) {
        screenshot("narrow-message");
      }
    }
  }

  /** Tabs through the page from its top and checks every enabled control of it gets the focus. */
  private void assertEveryControlIsReachedByTab(String view) {
    JavascriptExecutor js = (JavascriptExecutor) browser();
    @SuppressWarnings("unchecked")
    List<WebElement> controls =
        (List<WebElement>)
            js.executeScript(
                "return [...document.querySelectorAll('a[href], button, input, select, textarea,"
                    + " [tabindex=\"0\"]')].filter(e => !e.disabled && e.offsetParent !== null"
                    + " && e.getAttribute('tabindex') !== '-1')");
    js.executeScript(
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
    Set<WebElement> reached = new HashSet<>();
    Actions keys = new Actions(browser());
    for (int i = 0; i < controls.size() + 5 && !reached.containsAll(controls); i++) {
      keys.sendKeys(Keys.TAB).perform();
      reached.add(browser().switchTo().activeElement());
    }
    List<String> missed =
        controls.stream()
            .filter(c -> !reached.contains(c))
            .map(c -> c.getTagName() + "#" + c.getAttribute("id") + "." + c.getAttribute("class"))
            .toList();
    assertThat(missed).as("controls of %s that Tab never reaches", view).isEmpty();
  }

  /** Lets the page finish what its last navigation started (its fetches and renders). */
  private void waitQuietly() {
    new WebDriverWait(browser(), Duration.ofSeconds(5))
        .until(
            d ->
                Boolean.TRUE.equals(
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "return document.readyState === 'complete'"
                                + " && !document.querySelector('[aria-busy=\"true\"]')")));
  }

  private void type(String css, String value) {
    WebElement field = waitFor(By.cssSelector(css), Duration.ofSeconds(5));
    field.clear();
    field.sendKeys(value);
  }

  /**
   * Sends a direct message from {@code from} to {@code to} (with more fields) and returns its id.
   */
  private static String direct(
      Agent from, Agent to, String contentType, String payload, Object... more) {
    Map<String, Object> body = new HashMap<>(Json.object(more));
    body.putAll(
        Map.of(
            "mode", "direct", "target", to.id(), "content_type", contentType, "payload", payload));
    return Json.text(api.as(from).sendOk(body), "id");
  }

  /** Signs in through the page. */
  private void signIn(String token) {
    open("#/signin");
    WebElement field = waitFor(By.id("token"), Duration.ofSeconds(10));
    field.clear();
    field.sendKeys(token);
    click("#signin");
    waitFor(By.id("signout"), Duration.ofSeconds(10));
  }

  private void open(String fragment) {
    browser().get(api.baseUri().resolve("/console/" + fragment).toString());
  }

  private WebElement waitFor(By locator, Duration timeout) {
    return new WebDriverWait(browser(), timeout, Duration.ofMillis(25))
        .until(ExpectedConditions.presenceOfElementLocated(locator));
  }

  private void click(String css) {
    new WebDriverWait(browser(), Duration.ofSeconds(5))
        .until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)))
        .click();
  }

  private String text(String css) {
    return browser().findElement(By.cssSelector(css)).getText();
  }

  /**
   * No script an agent wrote ran, no element it wrote exists, and no request left for what it named
   * ({@code src=x}).
   */
  private void assertInert(String where) {
    JavascriptExecutor js = (JavascriptExecutor) browser();
    assertThat(js.executeScript("return window.__pwned === undefined ? null : window.__pwned"))
        .as("a script written by an agent ran in %s", where)
        .isNull();
    assertThat(
            js.executeScript(
                "return document.querySelectorAll('main script, main img[src$=\"/x\"], main [onerror]').length"))
        .as("agent markup became elements in %s", where)
        .isEqualTo(0L);
    @SuppressWarnings("unchecked")
    List<String> requested =
        (List<String>)
            js.executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    String origin = api.baseUri().toString().replaceAll("/$", "");
    assertThat(requested)
        .as("requests the page made in %s", where)
        .allSatisfy(
            url ->
                assertThat(url)
                    .startsWith(origin + "/")
                    .doesNotEndWith("/x")
                    .doesNotContain("javascript"));
    assertNoCspViolations(where);
  }

  private void assertNoCspViolations(String where) {
    List<String> violations =
        browser().manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(LogEntry::getMessage)
            .filter(
                m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"))
            .toList();
    assertThat(violations).as("CSP violations in %s", where).isEmpty();
  }

  private void assertNoConsoleErrors() {
    List<String> errors =
        browser().manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    assertThat(errors).isEmpty();
  }

  private void screenshot(String name) {
    try {
      Path shot = ((TakesScreenshot) browser()).getScreenshotAs(OutputType.FILE).toPath();
      String suffix = MailroomApi.onRedis() ? "-redis" : "";
      Files.copy(
          shot, SCREENSHOTS.resolve(name + suffix + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private WebDriver browser() {
    assertThat(browser).isNotNull();
    return browser;
  }
}
