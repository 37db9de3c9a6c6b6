package dev.mailroom.fuzz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every answer of the server must be, whatever was asked: an answer at all, never a 5xx; a 4xx
 * is {@code application/problem+json} with its status, a detail and a request id (in the body and
 * in {@code X-Request-Id}, the same), and a 400 names what is wrong; no answer shows a Java class,
 * a stack trace or a library's internals in its body or headers; none sets a cookie but a success
 * of the console's sign-in or sign-out, which sets its session cookie {@code HttpOnly} and {@code
 * SameSite=Strict}. Stateless and thread-safe.
 */
final class Invariants {
  /** What betrays the implementation: package names, exception names, stack frames, getters. */
  static final Pattern INTERNALS =
      Pattern.compile(
          "\\b(?:java|javax|jakarta|sun|jdk)\\.[a-z]+\\.|tools\\.jackson|com\\.fasterxml"
              + "|io\\.modelcontextprotocol|org\\.eclipse\\.jetty|io\\.javalin|io\\.lettuce"
              + "|org\\.sqlite|reactor\\.core|\\b[A-Za-z]*Exception\\b|stackTrace|\\bat dev\\.mailroom"
              + "|\\bat [a-z]+\\.[a-z.]+[A-Z]\\w*\\.\\w+\\(|\\b[A-Z][A-Za-z]+\\.(?:get|set|is)[A-Z]\\w*\\(\\)");

  /** Words a 400's detail may name the wrong part by, when it names no field or parameter. */
  private static final List<String> PARTS =
      List.of(
          "body",
          "json",
          "header",
          "parameter",
          "path",
          "query",
          "content-type",
          "authorization",
          "utf-8",
          "encoding",
          "character",
          "method",
          "token",
          "field",
          "frame",
          "value",
          "number");

  /** Reads answers without the limits a client would put, so deep or long answers can be read. */
  static final JsonMapper LENIENT =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(100_000)
                          .maxNumberLength(100_000)
                          .maxStringLength(Integer.MAX_VALUE)
                          .build())
                  .build())
          .build();

  private Invariants() {}

  /**
   * One broken promise.
   *
   * @param kind what is wrong, the same for every request it happens to (a failure class)
   * @param detail what is wrong with this answer
   */
  record Violation(String kind, String detail) {
    @Override
    public String toString() {
      return kind + ": " + detail;
    }
  }

  /**
   * What is wrong with an answer.
   *
   * @param names the request's parameter, header and field names a 400 may name
   */
  static List<Violation> check(RawHttp.Response res, Collection<String> names) {
    return check(res, names, false);
  }

  /**
   * What is wrong with an answer to this request: {@link #check(RawHttp.Response, Collection,
   * boolean)}, and besides, the answer must not show a bearer token the request sent (as an echo of
   * the request would).
   */
  static List<Violation> check(
      RawHttp.Request req, RawHttp.Response res, Collection<String> names) {
    List<Violation> wrong = new ArrayList<>(check(res, names, req.method().equals("HEAD")));
    String answer = res.text() + res.headers();
    for (RawHttp.Header h : req.headers()) {
      String token = h.value().replaceFirst("(?i)^bearer\\s+", "").strip();
      if (h.name().equalsIgnoreCase("Authorization")
          && token.length() >= 16
          && answer.contains(token)) {
        wrong.add(new Violation("the answer shows the request's token", h.value()));
      }
    }
    return wrong;
  }

  /**
   * What is wrong with an answer to a request of this method (the answer to {@code HEAD} has no
   * body to judge).
   */
  static List<Violation> check(RawHttp.Response res, Collection<String> names, boolean head) {
    List<Violation> wrong = new ArrayList<>();
    if (res.status() < 0) {
      wrong.add(new Violation("no answer", res.note()));
      return wrong;
    }
    if (res.status() >= 500) {
      wrong.add(new Violation("a 5xx answer", "status " + res.status()));
    }
    leaks(res).ifPresent(wrong::add);
    for (String cookie : res.headers("Set-Cookie")) {
      // Only signing in to the console and out of it set a cookie: its session's, strictly.
      boolean console =
          res.status() >= 200
              && res.status() <= 299
              && cookie.startsWith("mailroom_session=")
              && cookie.contains("; HttpOnly")
              && cookie.contains("; SameSite=Strict");
      if (!console) {
        wrong.add(new Violation("sets a cookie", cookie));
      }
    }
    if (res.status() >= 400 && head && !res.contentType().startsWith("application/problem+json")) {
      wrong.add(new Violation("a 4xx that is not application/problem+json", res.contentType()));
    } else if (res.status() >= 400 && !head) {
      problem(res, names, wrong);
    }
    return wrong;
  }

  /** The first internal detail in the answer's headers or body, if any. */
  static Optional<Violation> leaks(RawHttp.Response res) {
    for (RawHttp.Header h : res.headers()) {
      Optional<Violation> hit = leak("a header", h.name() + ": " + h.value());
      if (hit.isPresent()) {
        return hit;
      }
    }
    byte[] body = res.body(); // a leak shows in an error's short body; long answers are cut
    return leak(
        "the body",
        new String(
            body, 0, Math.min(body.length, 1 << 20), java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The first internal detail in {@code text}, with some context, if any. */
  static Optional<Violation> leak(String where, String text) {
    Matcher m = INTERNALS.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    int from = Math.max(0, m.start() - 60);
    int to = Math.min(text.length(), m.end() + 60);
    return Optional.of(
        new Violation(
            where + " shows internals (" + m.group() + ")",
            "..." + text.substring(from, to) + "..."));
  }

  private static void problem(
      RawHttp.Response res, Collection<String> names, List<Violation> wrong) {
    if (!res.contentType().startsWith("application/problem+json")) {
      wrong.add(
          new Violation(
              "a 4xx that is not application/problem+json",
              "Content-Type: " + res.contentType() + ", " + res.body().length + " bytes"));
      return;
    }
    if (res.body().length == 0) {
      wrong.add(
          new Violation("a problem with an empty body", "Content-Type: " + res.contentType()));
      return;
    }
    JsonNode p;
    try {
      p = LENIENT.readTree(res.body());
    } catch (JacksonException e) {
      wrong.add(new Violation("a problem that is not JSON", Printable.bytes(res.body(), 200)));
      return;
    }
    String id = p.path("request_id").asString("");
    String header = res.header("X-Request-Id").orElse("");
    if (id.isBlank()) {
      wrong.add(new Violation("a problem without request_id", p.toString()));
    } else if (!header.equals(id)) {
      wrong.add(new Violation("X-Request-Id is not the problem's request_id", id + " / " + header));
    }
    if (p.path("status").asInt() != res.status()) {
      wrong.add(new Violation("a problem with another status", p.path("status").toString()));
    }
    if (p.path("detail").asString("").isBlank()) {
      wrong.add(new Violation("a problem without a detail", p.toString()));
    } else if (res.status() == 400 && !namesWhatIsWrong(p, names)) {
      wrong.add(new Violation("a 400 that names nothing", p.path("detail").asString()));
    }
  }

  private static boolean namesWhatIsWrong(JsonNode problem, Collection<String> names) {
    for (JsonNode e : problem.path("errors")) {
      if (!e.path("field").asString("").isBlank()) {
        return true;
      }
    }
    String detail = problem.path("detail").asString("").toLowerCase(Locale.ROOT);
    return PARTS.stream().anyMatch(detail::contains)
        || names.stream()
            .anyMatch(n -> !n.isBlank() && detail.contains(n.toLowerCase(Locale.ROOT)));
  }
}
