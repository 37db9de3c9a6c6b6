package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Assertions on RFC 9457 problem answers. */
final class Problems {
  private Problems() {}

  /**
   * Asserts that {@code r} is an {@code application/problem+json} answer with this status, carrying
   * type, title, status and detail, and returns it.
   */
  static JsonNode assertProblem(Response r, int status) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.mediaType()).as("%s", r).isEqualTo("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.isObject()).as("%s", r).isTrue();
    assertThat(Json.text(p, "type")).as("type in %s", r).isNotBlank();
    assertThat(Json.text(p, "title")).as("title in %s", r).isNotBlank();
    assertThat(p.path("status").asInt()).as("status in %s", r).isEqualTo(status);
    assertThat(Json.text(p, "detail")).as("detail in %s", r).isNotBlank();
    assertThat(r.body()).as("no stack trace in %s", r).doesNotContain("\tat ", "Exception:");
    return p;
  }

  /** The {@code field} of every entry in the problem's {@code errors} list. */
  static List<String> fields(JsonNode problem) {
    return Json.array(problem, "errors").stream().map(e -> Json.text(e, "field")).toList();
  }

  /**
   * Asserts a 400 validation problem whose errors name every one of {@code fields} (a field matches
   * when an error's field equals it or is it followed by an index or sub-field, as in {@code
   * tags[1]} or {@code tags.1}), and each error has a message.
   */
  static JsonNode assertInvalid(Response r, String... fields) {
    JsonNode p = assertProblem(r, 400);
    List<String> named = fields(p);
    for (String field : fields) {
      assertThat(named)
          .as("errors of %s name %s", r, field)
          .anySatisfy(
              n ->
                  assertThat(
                          n.equals(field) || n.startsWith(field + "[") || n.startsWith(field + "."))
                      .isTrue());
    }
    for (JsonNode e : Json.array(p, "errors")) {
      assertThat(Json.text(e, "message")).as("message of %s in %s", e, r).isNotBlank();
    }
    return p;
  }
}
