package dev.mailroom.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliverySettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzes the MCP transport at {@code /mcp} (streamable HTTP): each agent opens a session with a
 * valid {@code initialize}, then messages go out valid ({@link McpMessages#valid}: tool calls with
 * arguments from each tool's input schema, resources, ping, notifications) or mutated (JSON-RPC
 * mutations, body mutations, a wrong or foreign session, headers, content types, HTTP methods).
 * Every answer is checked by {@link Invariants}; besides, a JSON-RPC request answered 200 must get
 * its response (same id), and a refused request (4xx, a JSON-RPC error or a tool error) must leave
 * the store as it was. The count is {@code fuzz.mcp.requests} (see {@link FuzzSettings}); a longer
 * run: {@code -Dit.test=McpFuzzIT -Dfuzz.mcp.requests=20000 -Dfuzz.seed=...}.
 */
class McpFuzzIT {
  @RegisterExtension static final FuzzServer server = new FuzzServer(DeliverySettings.DEFAULTS);

  private static FuzzReport report;
  private static Judge.Outcome outcome;
  private static int toolResults;

  @BeforeAll
  static void fuzz() {
    FuzzSettings settings = FuzzSettings.current();
    Fixtures f = Fixtures.seed(server);
    RawHttp http = new RawHttp(server.baseUri(), settings.mcpTimeout());
    List<Caller> agents = List.of(f.alice, f.bob, f.admin, f.observer);
    Map<Caller, String> sessions = new HashMap<>();
    agents.forEach(c -> sessions.put(c, initialize(http, Fixtures.token(c))));
    for (String slot : List.of("ids", "message_id", "in_reply_to", "after_id", "before_id")) {
      f.samples.all("MessageId").forEach(id -> f.samples.add(slot, id));
    }
    f.samples.all("AgentId").forEach(id -> f.samples.add("to", id));
    f.samples.all("AgentId").forEach(id -> f.samples.add("sender", id));
    List.of(Fixtures.NEWS, Fixtures.PRIVATE)
        .forEach(
            t -> List.of("name", "mailbox", "pattern", "prefix").forEach(s -> f.samples.add(s, t)));
    f.samples.all("SubscriptionId").forEach(id -> f.samples.add("subscription_id", id));
    McpMessages messages =
        new McpMessages(
            tools(http, f.alice, sessions.get(f.alice)), new SchemaValues(n -> n, f.samples));
    report = new FuzzReport("McpFuzzIT", settings);
    Judge judge = new Judge(server, http, report);
    for (int i = 0; i < settings.mcpRequests(); i++) {
      RandomGenerator r = new Random(settings.seedOf(i));
      Caller caller = agents.get(r.nextInt(agents.size()));
      Draft d = new Draft("POST", "/mcp");
      d.caller = caller.name();
      d.json = messages.valid(i + 2, r);
      d.setHeader("Authorization", "Bearer " + Fixtures.token(caller));
      d.setHeader("Content-Type", "application/json");
      d.setHeader("Accept", "application/json, text/event-stream");
      d.setHeader("Mcp-Session-Id", sessions.get(caller));
      List.of("jsonrpc", "id", "method", "params", "arguments", "Mcp-Session-Id", "session")
          .forEach(d.names::add);
      if (r.nextInt(10) >= 3) {
        for (int n = 1 + (r.nextInt(4) == 0 ? 1 : 0); n > 0; n--) {
          d.mutations.add(mutate(d, caller, sessions, agents, r));
        }
        RequestMutator.finish(d, r);
      }
      Judge.Exchange x = judge.exchange(i, "/mcp", d);
      if (JsonRpc.toolSucceeded(x.request(), x.answer())) {
        toolResults++;
      }
      if (d.method.equals("DELETE") && x.answer().status() == 200) {
        sessions.put(caller, initialize(http, Fixtures.token(caller))); // it ended: a new one
      }
    }
    outcome = judge.finish();
  }

  private static String mutate(
      Draft d,
      Caller caller,
      Map<Caller, String> sessions,
      List<Caller> agents,
      RandomGenerator r) {
    switch (r.nextInt(12)) {
      case 0, 1, 2, 3, 4 -> {
        return McpMessages.mutate(d, r);
      }
      case 5 -> {
        String s =
            JsonMutations.pick(
                List.of(
                    "none",
                    new UUID(r.nextLong(), r.nextLong()).toString(),
                    "../..",
                    "x".repeat(5000),
                    "other",
                    "two",
                    "\u00e9"),
                r);
        switch (s) {
          case "none" -> d.removeHeader("Mcp-Session-Id");
          case "other" ->
              d.setHeader(
                  "Mcp-Session-Id",
                  sessions.get(agents.get((agents.indexOf(caller) + 1) % agents.size())));
          case "two" ->
              d.headers.add(
                  new RawHttp.Header(
                      "Mcp-Session-Id", new UUID(r.nextLong(), r.nextLong()).toString()));
          default -> d.setHeader("Mcp-Session-Id", s);
        }
        return "session " + (s.length() > 40 ? "a " + s.length() + "-char id" : s);
      }
      case 6 -> {
        String a =
            JsonMutations.pick(
                List.of("application/json", "text/event-stream", "*/*", "", "text/html"), r);
        d.setHeader("Accept", a);
        return "Accept: " + a;
      }
      case 7 -> {
        d.setHeader(
            "MCP-Protocol-Version",
            JsonMutations.pick(List.of("1999-01-01", "x", "2025-06-18", ""), r));
        return "MCP-Protocol-Version header";
      }
      case 8, 9 -> {
        return RequestMutator.once(d, new Caller[] {caller}, r);
      }
      default -> {
        d.method =
            JsonMutations.pick(
                List.of("GET", "DELETE", "PUT", "PATCH", "PROPFIND", "TRACE", "OPTIONS", "HEAD"),
                r);
        if (d.method.equals("GET") || d.method.equals("DELETE")) {
          d.rawBody = new byte[0];
          d.setHeader("Accept", d.method.equals("GET") ? "text/event-stream" : "application/json");
        }
        return "method " + d.method;
      }
    }
  }

  /** Opens a session as the agent of {@code token}, initialized, and answers its id. */
  static String initialize(RawHttp http, String token) {
    RawHttp.Response r = post(http, token, Optional.empty(), McpMessages.INITIALIZE);
    String session =
        r.header("Mcp-Session-Id").orElseThrow(() -> new AssertionError("no session: " + r));
    post(
        http,
        token,
        Optional.of(session),
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    return session;
  }

  private static Map<String, JsonNode> tools(RawHttp http, Caller c, String session) {
    RawHttp.Response r =
        post(
            http,
            Fixtures.token(c),
            Optional.of(session),
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    Map<String, JsonNode> tools = new HashMap<>();
    JsonRpc.messages(r)
        .forEach(
            m ->
                m.path("result")
                    .path("tools")
                    .forEach(t -> tools.put(t.path("name").asString(), t.path("inputSchema"))));
    assertThat(tools).as("%s", r).isNotEmpty();
    return tools;
  }

  static RawHttp.Response post(RawHttp http, String token, Optional<String> session, String body) {
    List<RawHttp.Header> h = new ArrayList<>();
    h.add(new RawHttp.Header("Authorization", "Bearer " + token));
    h.add(new RawHttp.Header("Content-Type", "application/json"));
    h.add(new RawHttp.Header("Accept", "application/json, text/event-stream"));
    session.ifPresent(s -> h.add(new RawHttp.Header("Mcp-Session-Id", s)));
    return http.send(
        http.complete(
            new RawHttp.Request("POST", "/mcp", h, body.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void everyAnswerKeepsTheApisPromises() {
    assertThat(report.clean()).as(report.summary()).isTrue();
  }

  @Test
  void validToolCallsReachTheTools() {
    assertThat(toolResults).as("tool calls answered with a result that is no error").isPositive();
  }

  @Test
  void theServerStaysHealthyAndItsHeapBounded() {
    outcome.assertHealthyWithBoundedHeap();
  }
}
