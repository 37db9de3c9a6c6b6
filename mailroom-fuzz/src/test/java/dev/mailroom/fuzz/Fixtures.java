package dev.mailroom.fuzz;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import tools.jackson.databind.JsonNode;

/**
 * What a fuzz run starts from: callers of every kind (the bootstrap admin, an agent with the admin
 * role, two plain agents, an observer, no token, a token of no one) and things for valid requests
 * to find: topics, a private topic one agent is denied, a rule, a custom role, subscriptions,
 * direct and topic messages (one asking for an acknowledgement by a deadline), loggers whose levels
 * may change, reservations. Their ids are the first {@link Samples}. Not thread-safe.
 */
final class Fixtures {
  static final String NEWS = "fuzz.news";
  static final String PRIVATE = "fuzz.private";

  final Caller admin;
  final Caller ops;
  final Caller alice;
  final Caller bob;
  final Caller observer;
  final Caller anonymous = Caller.nobody("no token", null);
  final Caller forged = Caller.nobody("a token of no one", "mr_" + "x".repeat(43));
  final Samples samples = new Samples();
  private final FuzzServer server;

  private Fixtures(FuzzServer server) {
    this.server = server;
    admin = Caller.agent("admin", server.adminToken(), "admin");
    ops = Caller.agent("fuzz-ops", server.newAgent("fuzz-ops", "admin"), "admin");
    alice = Caller.agent("fuzz-alice", server.newAgent("fuzz-alice", "agent"), "agent");
    bob = Caller.agent("fuzz-bob", server.newAgent("fuzz-bob", "agent"), "agent");
    observer = Caller.agent("fuzz-olive", server.newAgent("fuzz-olive", "observer"), "observer");
    server.newAgent("fuzz-victim", "agent");
  }

  /** Creates the callers and the things on the server. */
  static Fixtures seed(FuzzServer server) {
    Fixtures f = new Fixtures(server);
    f.things();
    return f;
  }

  private void things() {
    for (String agent : List.of("fuzz-alice", "fuzz-bob", "fuzz-victim", "fuzz-olive")) {
      samples.add("AgentId", agent);
    }
    String a = token(alice);
    String b = token(bob);
    for (String topic : List.of(NEWS, PRIVATE)) {
      server.call("POST", "/v1/topics", a, FuzzServer.json(Map.of("name", topic)));
      samples.add("MailboxName", topic);
    }
    List.of(NEWS, "fuzz.**", "fuzz.*").forEach(p -> samples.add("SubscriptionPattern", p));
    JsonNode rule =
        server.call(
            "POST",
            "/v1/acl",
            token(admin),
            FuzzServer.json(
                Map.of(
                    "grantee",
                    "agent:fuzz-bob",
                    "actions",
                    List.of("read", "subscribe"),
                    "resource",
                    PRIVATE,
                    "effect",
                    "deny")));
    samples.add("/v1/acl/{id}#id", rule.path("id").asString());
    server.call("POST", "/v1/roles", token(admin), FuzzServer.json(Map.of("name", "fuzz-role")));
    samples.add("/v1/roles/{name}#name", "fuzz-role");
    List.of("agent", "observer", "fuzz-role").forEach(role -> samples.add("roles", role));
    List.of("agent:fuzz-victim", "role:fuzz-role", "role:observer")
        .forEach(g -> samples.add("grantee", g));
    // Loggers nothing logs under, so that setting them to any level (TRACE, OFF) changes no output
    // of the run; never ROOT, whose TRACE would flood the fuzz run's own log.
    List.of(
            "dev.mailroom.fuzz.logger",
            "dev.mailroom.fuzz.logger.child",
            "dev.mailroom.fuzz.Outer$Inner")
        .forEach(l -> samples.add("LoggerName", l));
    subscribe(b, Map.of("pattern", "fuzz.**", "delivery_mode", "realtime"));
    subscribe(a, Map.of("pattern", NEWS, "delivery_mode", "polling"));
    send(a, Map.of("mode", "direct", "target", "fuzz-bob", "thread_id", "fuzz-thread"));
    send(
        a,
        Map.of("mode", "direct", "target", "fuzz-bob", "priority", "urgent", "tags", List.of("t")));
    send(b, Map.of("mode", "direct", "target", "fuzz-alice"));
    send(a, Map.of("mode", "topic", "target", NEWS));
    send(a, Map.of("mode", "topic", "target", PRIVATE));
    send(b, Map.of("mode", "broadcast"));
    // Search queries that find the fixtures' messages ("fuzz <n>" payloads): a word, a prefix, a
    // phrase.
    List.of("fuzz", "fu*", "\"fuzz 1\"", "fuzz bob").forEach(q -> samples.add("q", q));
    send(
        a,
        Map.of(
            "mode",
            "direct",
            "target",
            "fuzz-bob",
            "ack_required",
            true,
            "reply_by",
            java.time.Instant.now().plusSeconds(3600).toString()));
    uploads(token(admin));
    reservations(a, b, token(ops));
    directory(token(admin));
  }

  /**
   * A project, globs for its reservations, and reservations of it (alice's exclusive, bob's and an
   * admin's shared) whose ids the id routes find; their holders and admins may renew them.
   */
  private void reservations(String alice, String bob, String ops) {
    samples.add("ProjectName", "fuzz-project");
    List.of("src/**", "README.md", "docs/*.md").forEach(g -> samples.add("PathGlob", g));
    for (var holder :
        List.of(
            Map.entry(alice, List.of("src/**")),
            Map.entry(bob, List.of("docs/*.md")),
            Map.entry(ops, List.of("docs/*.md")))) {
      JsonNode r =
          server.call(
              "POST",
              "/v1/reservations",
              holder.getKey(),
              FuzzServer.json(
                  Map.of(
                      "project",
                      "fuzz-project",
                      "paths",
                      holder.getValue(),
                      "exclusive",
                      holder.getKey().equals(alice),
                      "ttl_seconds",
                      86_400)));
      String id = r.path("id").asString();
      samples.add("/v1/reservations/{id}#id", id);
      samples.add("/v1/reservations/{id}/renew#id", id);
    }
  }

  /**
   * Agents only the retirement route names and agents only the deletion route names (retiring or
   * deleting a caller would lock it out for good), an enrollment the deletion route revokes, and
   * one whose secret self-registration uses.
   */
  private void directory(String admin) {
    for (String retiree : List.of("fuzz-retiree-1", "fuzz-retiree-2")) {
      server.newAgent(retiree, "agent");
      samples.add(ValidRequests.RETIREE, retiree);
    }
    for (String deletee : List.of("fuzz-deletee-1", "fuzz-deletee-2", "fuzz-deletee-3")) {
      server.newAgent(deletee, "agent");
      samples.add(ValidRequests.DELETEE, deletee);
    }
    String issue = FuzzServer.json(Map.of("uses", 10_000, "ttl_seconds", 86_400));
    samples.add(
        "/v1/enrollments/{id}#id",
        server
            .call("POST", "/v1/enrollments", admin, issue)
            .path("enrollment")
            .path("id")
            .asString());
    samples.add(
        ValidRequests.ENROLLMENT_SECRET,
        server.call("POST", "/v1/enrollments", admin, issue).path("token").asString());
  }

  /** The bytes of the fixtures' uploads, one part each. */
  static final byte[] PART = "fuzz part!".getBytes(StandardCharsets.UTF_8);

  /**
   * An open upload of the admin's whose one part the part and completion routes store and complete,
   * and a message to alice carrying a blob of the admin's, which the download route finds.
   */
  private void uploads(String admin) {
    String open = upload(admin);
    samples.add("/v1/uploads/{id}/parts/{n}#id", open);
    samples.add("/v1/uploads/{id}/parts/{n}#n", "0");
    samples.add("/v1/uploads/{id}/complete#id", open);
    String blob = upload(admin);
    server.putPart(blob, 0, admin, PART);
    server.call("POST", "/v1/uploads/" + blob + "/complete", admin, null);
    var body = new HashMap<String, Object>();
    body.put("mode", "direct");
    body.put("target", "fuzz-alice");
    body.put("attachments", List.of(Map.of("blob_id", blob)));
    String message =
        server.call("POST", "/v1/messages", admin, FuzzServer.json(body)).path("id").asString();
    samples.add(ValidRequests.ATTACHED_MESSAGE, message);
    samples.add("/v1/messages/{id}/attachments/{n}#n", "0");
  }

  private String upload(String token) {
    return server
        .call(
            "POST",
            "/v1/uploads",
            token,
            FuzzServer.json(Map.of("size", PART.length, "name", "fuzz.txt")))
        .path("id")
        .asString();
  }

  private void subscribe(String token, Map<String, String> body) {
    JsonNode s = server.call("POST", "/v1/subscriptions", token, FuzzServer.json(body));
    samples.add("SubscriptionId", s.path("id").asString());
  }

  /** Sends a text message with these fields and answers its id. */
  String send(String token, Map<String, ?> fields) {
    var body = new HashMap<String, Object>(fields);
    body.put("content_type", "text/plain");
    body.put("payload", "fixture");
    String id =
        server.call("POST", "/v1/messages", token, FuzzServer.json(body)).path("id").asString();
    samples.add("MessageId", id);
    return id;
  }

  Caller[] callers() {
    return new Caller[] {admin, ops, alice, bob, observer, anonymous, forged};
  }

  /** A caller: mostly plain agents and admins, now and then an observer or nobody. */
  Caller pick(RandomGenerator r) {
    int n = r.nextInt(100);
    if (n < 30) {
      return alice;
    } else if (n < 45) {
      return bob;
    } else if (n < 70) {
      return admin;
    } else if (n < 82) {
      return ops;
    } else if (n < 90) {
      return observer;
    }
    return n < 95 ? anonymous : forged;
  }

  /**
   * Keeps the callers usable after a fuzzed request changed one of them: takes a replaced token
   * from the answer, issues a new one after a revocation, restores changed roles.
   */
  void keepCallersUsable(Draft d, RawHttp.Response answer) {
    if (answer.status() < 200
        || answer.status() > 299
        || !d.template.startsWith("/v1/agents/{id}/")) {
      return;
    }
    String id = URLDecoder.decode(d.pathValues.getOrDefault("id", ""), StandardCharsets.UTF_8);
    for (Caller c : callers()) {
      if (c.agent().filter(id::equals).isEmpty()) {
        continue;
      }
      String repairer = token(c == admin ? ops : admin); // the two admins mend each other
      if (d.template.endsWith("/token")) {
        String path = "/v1/agents/" + id + "/token";
        c.token(server.call("POST", path, repairer, null).path("token").asString());
      } else if (d.template.endsWith("/roles")) {
        String roles = FuzzServer.json(Map.of("roles", c.roles()));
        server.call("PUT", "/v1/agents/" + id + "/roles", repairer, roles);
      }
    }
  }

  static String token(Caller c) {
    return c.token().orElseThrow();
  }
}
