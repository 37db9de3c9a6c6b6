package dev.mailroom.server.api;

import java.net.http.HttpHeaders;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** One HTTP answer, with the body kept as text so that a failing assertion can print it. */
record Response(String request, int status, HttpHeaders headers, String body) {

  JsonNode json() {
    return Json.parse(body);
  }

  Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  /** The media type without parameters, or empty when there is no Content-Type. */
  String mediaType() {
    return header("Content-Type").map(v -> v.split(";", 2)[0].trim()).orElse("");
  }

  @Override
  public String toString() {
    String shown = body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    return request + " -> " + status + " " + headers.map() + "\n" + shown;
  }
}
