package dev.mailroom.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a valid request for an operation of the served description, as a {@link Caller}: path and
 * query parameters and the body from their schemas ({@link SchemaValues}), known values for ids and
 * names, the caller's token. One rule the schema cannot say is added: a send's payload fits its
 * content type and its target its mode, so that sends get through and fill inboxes. Not
 * thread-safe.
 */
final class ValidRequests {
  /** The slot of the ids of dead letters, which the dead-letter routes take. */
  static final String DEAD_LETTER = "DeadLetterId";

  /** The slot of the ids of messages that carry an attachment, which downloads take. */
  static final String ATTACHED_MESSAGE = "AttachedMessageId";

  /** The route that stores an upload's part: its body is raw bytes, not JSON. */
  private static final String PART_ROUTE = "/v1/uploads/{id}/parts/{n}";

  static final String CONSOLE_SESSION = "/console/session";

  /** The slot of the agents the retirement route names: none of the callers. */
  static final String RETIREE = "RetireeId";

  /** The slot of the agents the deletion route names: none of the callers, nor the retirees. */
  static final String DELETEE = "DeleteeId";

  /** The slot of the enrollment secret that self-registration sends as its bearer token. */
  static final String ENROLLMENT_SECRET = "EnrollmentSecret";

  private static final String RETIRE_ROUTE = "/v1/agents/{id}/retire";
  private static final String ENROLL_ROUTE = "/v1/agents/enroll";
  private static final String AGENT_ROUTE = "/v1/agents/{id}";

  private final OpenApiModel api;
  private final Samples samples;
  private final SchemaValues values;

  ValidRequests(OpenApiModel api, Samples samples) {
    this.api = api;
    this.samples = samples;
    this.values = new SchemaValues(api::resolve, samples);
  }

  SchemaValues values() {
    return values;
  }

  Draft build(OpenApiModel.Operation op, Caller caller, RandomGenerator r) {
    return build(op, caller, r, false);
  }

  /**
   * A valid request for {@code op}; a plain one leaves out every optional query parameter and takes
   * a known value for each path parameter that has one, so that it finds what it names.
   */
  Draft build(OpenApiModel.Operation op, Caller caller, RandomGenerator r, boolean plain) {
    Draft d = new Draft(op.method(), op.path());
    for (OpenApiModel.Parameter p : op.in("path")) {
      String slot = slot(op, p);
      JsonNode v = plain ? values.known(slot, p.schema(), r) : values.value(slot, p.schema(), r);
      d.pathValues.put(p.name(), encode(text(v)));
      d.names.add(p.name());
    }
    for (OpenApiModel.Parameter p : op.in("query")) {
      d.names.add(p.name());
      // A wait left out waits its default (30 s for an ask): say how long, always.
      boolean slow = SchemaValues.SLOW.containsKey(p.name());
      if (!p.required() && !slow && (plain || r.nextInt(3) != 0)) {
        continue;
      }
      JsonNode v = values.value(slot(op, p), p.schema(), r);
      if (v.isArray()) {
        v.forEach(item -> d.query.add(p.name() + "=" + encode(text(item))));
      } else {
        d.query.add(p.name() + "=" + encode(text(v)));
      }
    }
    caller.token().ifPresent(t -> d.setHeader("Authorization", "Bearer " + t));
    if (op.path().equals(ENROLL_ROUTE) && caller.token().isPresent()) {
      // Self-registration takes an enrollment secret, not the caller's token.
      samples
          .pick(ENROLLMENT_SECRET, r)
          .ifPresent(secret -> d.setHeader("Authorization", "Bearer " + secret));
    }
    d.caller = caller.name();
    d.setHeader("Accept", "application/json");
    for (OpenApiModel.Parameter p : op.in("header")) {
      d.names.add(p.name());
      if (p.name().equalsIgnoreCase("Accept")) {
        d.setHeader("Accept", "text/event-stream"); // the one Accept a route asks for: a stream
      } else if (p.required() || r.nextBoolean()) {
        d.setHeader(p.name(), text(values.value(slot(op, p), p.schema(), r)));
      }
    }
    if (op.method().equals("PUT") && op.path().equals(PART_ROUTE)) {
      // The fixtures' uploads take one part of these bytes; a mutation may still change any. Its
      // checksum is either kind the route takes, or both.
      d.rawBody = Fixtures.PART;
      d.setHeader("Content-Type", "application/octet-stream");
      d.setHeader(
          "Content-Digest",
          switch (r.nextInt(3)) {
            case 0 -> FuzzServer.contentDigest(Fixtures.PART);
            case 1 -> FuzzServer.crc32cContentDigest(Fixtures.PART);
            default ->
                FuzzServer.crc32cContentDigest(Fixtures.PART)
                    + ", "
                    + FuzzServer.contentDigest(Fixtures.PART);
          });
    }
    if (op.body().isPresent() && (op.bodyRequired() || r.nextBoolean())) {
      JsonNode body = values.value("body", op.body().get(), r);
      if (body instanceof ObjectNode o) {
        fitSend(o, r);
        for (JsonNode message : o.path("messages")) { // a batch of sends
          if (message instanceof ObjectNode send) {
            fitSend(send, r);
          }
        }
      }
      if (op.method().equals("POST")
          && (op.path().equals("/v1/agents") || op.path().equals(ENROLL_ROUTE))
          && body instanceof ObjectNode o) {
        // Registering needs an id nobody has: a known one is only ever a conflict.
        o.put("id", "fuzz-new-" + Integer.toString(r.nextInt(1 << 30), 36));
      }
      if (op.path().equals(CONSOLE_SESSION) && body instanceof ObjectNode o) {
        caller.token().ifPresent(t -> o.put("token", t)); // signing in with the caller's token
      }
      d.json = body;
      d.setHeader("Content-Type", "application/json");
      body.propertyNames().forEach(d.names::add);
    }
    return d;
  }

  /**
   * The slot of known values for a parameter: its schema's name, else the parameter's name (query)
   * or the path and name (path).
   */
  static String slot(OpenApiModel.Operation op, OpenApiModel.Parameter p) {
    if (p.in().equals("path") && op.path().equals(RETIRE_ROUTE)) {
      return RETIREE; // retiring a caller would refuse its every later request
    }
    if (p.in().equals("path") && op.path().equals(AGENT_ROUTE) && op.method().equals("DELETE")) {
      return DELETEE; // deleting a caller would refuse its every later request
    }
    if (p.in().equals("path") && op.path().startsWith("/v1/dlq/")) {
      return DEAD_LETTER; // a message id, but only a dead letter's finds anything there
    }
    if (p.in().equals("path") && p.name().equals("id") && op.path().contains("/attachments/")) {
      return ATTACHED_MESSAGE; // likewise: only a message carrying a file has attachments
    }
    return OpenApiModel.refName(p.schema())
        .orElse(p.in().equals("path") ? op.path() + "#" + p.name() : p.name());
  }

  /** A send body whose target fits its mode and whose payload fits its content type. */
  private void fitSend(ObjectNode send, RandomGenerator r) {
    if (!send.has("mode") || !send.has("content_type") || !send.has("payload")) {
      return;
    }
    switch (send.get("mode").asString()) {
      case "direct" -> samples.pick("AgentId", r).ifPresent(a -> send.put("target", a));
      case "topic" -> samples.pick("MailboxName", r).ifPresent(t -> send.put("target", t));
      default -> send.remove("target");
    }
    String text = "fuzz " + r.nextInt(1_000_000);
    switch (send.get("content_type").asString()) {
      case "application/json" -> send.putObject("payload").put("n", r.nextInt(1000));
      case "application/octet-stream" ->
          send.put(
              "payload", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
      case "text/uri-list" -> send.put("payload", "https://example.com/" + r.nextInt(1000));
      case "text/code" -> {
        send.put("payload", "print(" + r.nextInt(1000) + ")");
        send.put("language", "python");
      }
      default -> send.put("payload", text);
    }
    if (!send.get("content_type").asString().equals("text/code")) {
      send.remove("language");
    }
    fitObligation(send, r);
  }

  /**
   * An obligation a send can carry: none on a broadcast; a deadline in the future, before the
   * message expires (a schema's date-time is in the past), and far enough not to pass during a run.
   */
  private static void fitObligation(ObjectNode send, RandomGenerator r) {
    if (send.get("mode").asString().equals("broadcast")) {
      send.remove("ack_required");
      send.remove("reply_by");
      return;
    }
    if (send.has("reply_by")) {
      long ttl = send.path("ttl_seconds").asLong(Long.MAX_VALUE);
      if (ttl < 7200) {
        send.remove("reply_by");
      } else {
        // An hour or more ahead: no overdue notice is sent while a run lasts.
        long ahead = 3600 + r.nextInt((int) Math.min(3600, ttl - 3600));
        send.put(
            "reply_by", Instant.now().plusSeconds(ahead).truncatedTo(ChronoUnit.MILLIS).toString());
      }
    }
  }

  private static String text(JsonNode v) {
    return v.isString() ? v.asString() : v.toString();
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Learns the ids and names a successful answer reveals: what a {@code Location} header or a
   * creation's answer names, the messages of a page, a page's cursor.
   */
  void learn(OpenApiModel.Operation op, RawHttp.Response answer) {
    if (answer.status() < 200 || answer.status() > 299 || !answer.contentType().contains("json")) {
      return;
    }
    JsonNode body;
    try {
      body = Invariants.LENIENT.readTree(answer.body());
    } catch (RuntimeException e) {
      return; // not this request's business: the invariants judge the answer
    }
    answer.header("Location").ifPresent(location -> learnPath(location));
    if (op.method().equals("POST") && answer.status() == 201) {
      for (OpenApiModel.Operation item : api.operations()) {
        String rest =
            item.path().startsWith(op.path() + "/{")
                ? item.path().substring(op.path().length() + 2)
                : "";
        if (!rest.isEmpty() && rest.indexOf('/') < 0) {
          String name = rest.substring(0, rest.length() - 1);
          for (OpenApiModel.Parameter p : item.in("path")) {
            JsonNode v = body.has(name) ? body.get(name) : body.path("id");
            if (p.name().equals(name) && v.isString()) {
              samples.add(slot(item, p), v.asString());
            }
          }
        }
      }
    }
    body.path("messages").forEach(m -> samples.add("MessageId", m.path("id").asString()));
    body.path("dead_letters").forEach(d -> samples.add(DEAD_LETTER, d.path("id").asString()));
    if (body.path("next_cursor").isString()) {
      samples.add("cursor", body.get("next_cursor").asString());
    }
  }

  private void learnPath(String location) {
    String[] got = location.split("/");
    for (OpenApiModel.Operation op : api.operations()) {
      String[] template = op.path().split("/");
      if (template.length != got.length) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < template.length && match; i++) {
        match = template[i].startsWith("{") || template[i].equals(got[i]);
      }
      for (int i = 0; i < template.length && match; i++) {
        if (template[i].startsWith("{")) {
          String name = template[i].substring(1, template[i].length() - 1);
          String value = java.net.URLDecoder.decode(got[i], StandardCharsets.UTF_8);
          op.in("path").stream()
              .filter(p -> p.name().equals(name))
              .findFirst()
              .ifPresent(p -> samples.add(slot(op, p), value));
        }
      }
    }
  }
}
