package dev.mailroom.server.api;

import static dev.mailroom.server.api.Json.text;
import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/admin/log-levels} against a server in this JVM, so that a change shows in the very
 * loggers the test holds: set at once without a restart, read back, listed, cleared; bad names and
 * levels refused naming the field with nothing changed; admins only; audited and logged once.
 */
class LogLevelsIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  private static final String PATH = "/v1/admin/log-levels";
  private static final AtomicInteger FRESH = new AtomicInteger();

  /** A logger of this test's own, which nothing else in the JVM logs under or configures. */
  private static String freshLogger() {
    return "dev.mailroom.test.loglevels.l" + FRESH.incrementAndGet() + "_" + System.nanoTime();
  }

  private static Response put(ApiClient as, String logger, String body) {
    return as.request("PUT", PATH + "/" + logger, body);
  }

  private static String rootLevel() {
    return text(api.admin().get(PATH + "/ROOT").json(), "level");
  }

  @Test
  void aLevelSetTakesEffectAtOnceIsReadBackListedAndClearedAgain() {
    String name = freshLogger();
    Logger probe = LoggerFactory.getLogger(name);
    Logger child = LoggerFactory.getLogger(name + ".child");
    assertThat(probe.isDebugEnabled()).as("DEBUG before the change").isFalse();

    Response set = put(api.admin(), name, "{\"level\":\"debug\"}");

    assertThat(set.status()).as("%s", set).isEqualTo(200);
    JsonNode answer = set.json();
    assertThat(text(answer, "logger")).isEqualTo(name);
    assertThat(text(answer, "level")).isEqualTo("DEBUG");
    assertThat(text(answer, "effective_level")).isEqualTo("DEBUG");
    assertThat(text(answer, "node")).isNotBlank();
    assertThat(probe.isDebugEnabled()).as("DEBUG right after the answer").isTrue();
    assertThat(probe.isTraceEnabled()).isFalse();
    assertThat(child.isDebugEnabled()).as("a child logger inherits it").isTrue();

    JsonNode read = api.admin().get(PATH + "/" + name).json();
    assertThat(text(read, "level")).isEqualTo("DEBUG");
    assertThat(text(read, "node")).isEqualTo(text(answer, "node"));
    JsonNode childRead = api.admin().get(PATH + "/" + name + ".child").json();
    assertThat(childRead.has("level")).as("%s", childRead).isFalse();
    assertThat(text(childRead, "effective_level")).isEqualTo("DEBUG");
    JsonNode unborn = api.admin().get(PATH + "/" + name + ".never.logged").json();
    assertThat(text(unborn, "effective_level")).as("%s", unborn).isEqualTo("DEBUG");

    JsonNode list = api.admin().get(PATH).json();
    List<JsonNode> loggers = Json.array(list, "loggers");
    assertThat(text(loggers.getFirst(), "logger")).isEqualTo("ROOT");
    assertThat(loggers)
        .filteredOn(l -> name.equals(text(l, "logger")))
        .singleElement()
        .satisfies(l -> assertThat(text(l, "level")).isEqualTo("DEBUG"));
    assertThat(loggers).noneMatch(l -> text(l, "logger").equals(name + ".child"));
    assertThat(text(list, "node")).isEqualTo(text(answer, "node"));

    Response cleared = api.admin().delete(PATH + "/" + name);

    assertThat(cleared.status()).as("%s", cleared).isEqualTo(200);
    assertThat(cleared.json().has("level")).as("%s", cleared).isFalse();
    assertThat(text(cleared.json(), "effective_level")).isEqualTo(rootLevel());
    assertThat(probe.isDebugEnabled()).as("DEBUG after the reset").isFalse();
    assertThat(Json.array(api.admin().get(PATH).json(), "loggers"))
        .noneMatch(l -> name.equals(text(l, "logger")));

    assertThat(put(api.admin(), name, "{\"level\":\"TRACE\"}").status()).isEqualTo(200);
    assertThat(probe.isTraceEnabled()).isTrue();
    Response nulled = put(api.admin(), name, "{\"level\":null}");
    assertThat(nulled.status()).as("%s", nulled).isEqualTo(200);
    assertThat(nulled.json().has("level")).isFalse();
    assertThat(probe.isTraceEnabled()).as("TRACE after {\"level\":null}").isFalse();
    assertThat(api.admin().delete(PATH + "/" + name).status())
        .as("clearing a logger without a level of its own")
        .isEqualTo(200);
  }

  @Test
  void theRootAnswersToRootInAnyCaseAndMustKeepALevel() {
    String level = rootLevel();

    Response same = put(api.admin(), "root", "{\"level\":\"" + level.toLowerCase() + "\"}");
    assertThat(same.status()).as("%s", same).isEqualTo(200);
    assertThat(text(same.json(), "logger")).isEqualTo("ROOT");
    assertThat(text(same.json(), "level")).isEqualTo(level);

    assertInvalid(put(api.admin(), "ROOT", "{\"level\":null}"), "level");
    assertInvalid(api.admin().delete(PATH + "/Root"), "logger");
    assertThat(rootLevel()).isEqualTo(level);
  }

  @Test
  void aBadNameOrLevelIsRefusedNamingTheFieldAndChangesNothing() {
    String name = freshLogger();
    assertThat(put(api.admin(), name, "{\"level\":\"INFO\"}").status()).isEqualTo(200);
    JsonNode before = api.admin().get(PATH).json();

    assertInvalid(put(api.admin(), name, "{\"level\":\"LOUD\"}"), "level");
    assertInvalid(put(api.admin(), name, "{\"level\":\"ALL\"}"), "level");
    assertInvalid(put(api.admin(), name, "{\"level\":5}"), "level");
    assertInvalid(put(api.admin(), name, "{}"), "level");
    assertInvalid(put(api.admin(), name, "{\"level\":\"DEBUG\",\"for\":\"ever\"}"), "for");
    assertInvalid(put(api.admin(), "a..b", "{\"level\":\"DEBUG\"}"), "logger");
    assertInvalid(put(api.admin(), "a.$b", "{\"level\":\"DEBUG\"}"), "logger");
    assertInvalid(put(api.admin(), "a%20b", "{\"level\":\"DEBUG\"}"), "logger");
    assertInvalid(put(api.admin(), "x".repeat(201), "{\"level\":\"DEBUG\"}"), "logger");
    assertInvalid(put(api.admin(), "a%25b", "{\"level\":\"LOUD\"}"), "logger", "level");
    // Below INFO only for Mailroom's own loggers: a library's DEBUG can log request headers.
    assertInvalid(put(api.admin(), "org.eclipse.jetty", "{\"level\":\"DEBUG\"}"), "level");
    assertInvalid(put(api.admin(), "ROOT", "{\"level\":\"TRACE\"}"), "level");
    assertInvalid(put(api.admin(), "dev.mailroomx", "{\"level\":\"DEBUG\"}"), "level");
    assertInvalid(api.admin().delete(PATH + "/" + name + "."), "logger");
    assertInvalid(api.admin().get(PATH + "/-bad.$name"), "logger");
    assertInvalid(api.admin().get(PATH, Query.of("verbose", "true")), "verbose");
    assertInvalid(api.admin().get(PATH + "/" + name, Query.of("verbose", "true")), "verbose");
    assertProblem(
        api.admin().request("PUT", PATH + "/" + name, "DEBUG", "Content-Type", "text/plain"), 415);
    assertThat(put(api.admin(), "x".repeat(200), "{\"level\":\"WARN\"}").status())
        .as("a name of 200 characters")
        .isEqualTo(200);
    api.admin().delete(PATH + "/" + "x".repeat(200));

    assertThat(api.admin().get(PATH).json()).isEqualTo(before);
    assertThat(text(api.admin().get(PATH + "/" + name).json(), "level")).isEqualTo("INFO");
    api.admin().delete(PATH + "/" + name);
  }

  @Test
  void onlyAdminsMayReadOrChangeLevels() {
    String name = freshLogger();
    ApiClient agent = api.as(api.newAgent("plain"));
    ApiClient observer = api.as(api.newAgent("watcher", "roles", List.of("observer")));

    for (ApiClient caller : List.of(agent, observer)) {
      assertProblem(caller.get(PATH), 403);
      assertProblem(caller.get(PATH + "/" + name), 403);
      assertProblem(put(caller, name, "{\"level\":\"DEBUG\"}"), 403);
      assertProblem(caller.delete(PATH + "/" + name), 403);
    }
    Response anonymous = put(api.anonymous(), name, "{\"level\":\"DEBUG\"}");
    assertProblem(anonymous, 401);
    assertProblem(api.anonymous().get(PATH), 401);

    assertThat(LoggerFactory.getLogger(name).isDebugEnabled()).isFalse();
    assertThat(api.admin().get(PATH + "/" + name).json().has("level")).isFalse();
  }

  @Test
  void aChangeIsAuditedWithTheLoggerAndLevelAndLoggedOnceWithoutTheToken() {
    String name = freshLogger();
    String own = "dev.mailroom.server.LogLevelRoutes";
    ch.qos.logback.classic.Logger routes =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(own);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    routes.addAppender(captured);
    try {
      // The server's own logger is at WARN in the tests: make its INFO lines show, through the API.
      assertThat(put(api.admin(), own, "{\"level\":\"INFO\"}").status()).isEqualTo(200);
      captured.list.clear();

      Response set = put(api.admin(), name, "{\"level\":\"DEBUG\"}");
      Response cleared = api.admin().delete(PATH + "/" + name);

      assertThat(set.status()).isEqualTo(200);
      assertThat(cleared.status()).isEqualTo(200);
      assertThat(captured.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly(
              "log level of " + name + " set to DEBUG by admin",
              "log level of " + name + " cleared by admin; it inherits " + rootLevel() + " now");
      assertThat(captured.list).allMatch(e -> e.getLevel() == Level.INFO);
      assertThat(captured.list)
          .noneMatch(e -> e.getFormattedMessage().contains(MailroomApi.ADMIN_TOKEN));

      JsonNode setRecord = api.auditRecord(set);
      assertThat(text(setRecord, "actor")).isEqualTo("admin");
      assertThat(text(setRecord, "action")).isEqualTo("PUT /v1/admin/log-levels/{logger}");
      assertThat(text(setRecord, "resource")).isEqualTo(name + "=DEBUG");
      assertThat(text(setRecord, "outcome")).isEqualTo("ok");
      assertThat(text(setRecord, "chain")).isEqualTo(text(set.json(), "node"));
      JsonNode clearRecord = api.auditRecord(cleared);
      assertThat(text(clearRecord, "action")).isEqualTo("DELETE /v1/admin/log-levels/{logger}");
      assertThat(text(clearRecord, "resource")).isEqualTo(name + "=null");

      Response refused = put(api.admin(), name, "{\"level\":\"LOUD\"}");
      JsonNode refusedRecord = api.auditRecord(refused);
      assertThat(text(refusedRecord, "resource")).isEqualTo(name);
      assertThat(text(refusedRecord, "outcome")).isEqualTo("invalid");
      assertThat(text(refusedRecord, "detail")).contains("level");
      assertThat(captured.list).hasSize(2);
    } finally {
      routes.detachAppender(captured);
      api.admin().delete(PATH + "/" + own);
    }
  }
}
