package dev.mailroom.mcp;

import dev.mailroom.server.MediaTypes;
import dev.mailroom.server.ServletEndpoint;
import dev.mailroom.server.ServletProblems;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MCP SDK's streamable HTTP servlet, with what Mailroom adds in front of it. Every request is
 * checked before the SDK sees it ({@link JsonRpcChecks} for a posted message; the method, the
 * headers and the session otherwise), and refused with a problem answer naming what is wrong
 * (which, for a posted message, is also a JSON-RPC error response); a request whose id was read but
 * whose params are wrong gets a JSON-RPC error to that id. Whatever the SDK still refuses is
 * answered as a problem too ({@link SdkAnswers}), so no answer carries the SDK's internals.
 *
 * <p>A session serves only the agent that opened it (another agent's session id is answered 404, as
 * an unknown one), and sessions are bounded per agent and in all ({@link HttpSessions}). {@code
 * resources/subscribe} and {@code resources/unsubscribe} of the inbox start and stop the session's
 * {@link InboxWatchers inbox watch} (a subscription over the watch limits is refused with a
 * JSON-RPC error); the session's stream of server messages is tracked so the watch notifies only
 * while someone listens. The agent comes from the endpoint's gate, which authenticated the request.
 */
final class McpHttpServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  static final String ALLOWED_METHODS = "GET, POST, DELETE";
  private static final String EVENT_STREAM = "text/event-stream";
  private static final String JSON = "application/json";

  private final transient HttpServletStreamableServerTransportProvider transport;
  private final transient HttpSessions sessions;
  private final transient InboxWatchers watchers;
  private final transient McpJsonMapper json;
  private final transient JsonRpcChecks checks;

  McpHttpServlet(
      HttpServletStreamableServerTransportProvider transport,
      HttpSessions sessions,
      InboxWatchers watchers,
      McpJsonMapper json) {
    this.transport = transport;
    this.sessions = sessions;
    this.watchers = watchers;
    this.json = json;
    this.checks = new JsonRpcChecks(json, "body");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res)
      throws ServletException, IOException {
    Object agent = req.getAttribute(ServletEndpoint.AGENT_ATTRIBUTE);
    if (!(agent instanceof String who)) {
      throw new IllegalStateException("the MCP servlet runs behind the server's gate only");
    }
    String method = req.getMethod();
    if (!method.equals("GET") && !method.equals("POST") && !method.equals("DELETE")) {
      res.setHeader("Allow", ALLOWED_METHODS);
      ServletProblems.write(
          res,
          HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          "method "
              + printable(method)
              + " is not allowed on /mcp: MCP over HTTP uses "
              + ALLOWED_METHODS,
          List.of(),
          Map.of());
      return;
    }
    List<String> ids = Collections.list(req.getHeaders(HttpHeaders.MCP_SESSION_ID));
    if (ids.size() > 1 || (ids.size() == 1 && ids.get(0).isBlank())) {
      ServletProblems.write(res, 400, HttpHeaders.MCP_SESSION_ID, "must be sent once, not blank");
      return;
    }
    String token = McpHttpEndpoint.bearerToken(req);
    Optional<HttpSessions.Session> session = Optional.empty();
    if (!ids.isEmpty()) {
      session = sessions.use(ids.get(0), who, token);
      if (session.isEmpty()) {
        ServletProblems.write(
            res,
            HttpServletResponse.SC_NOT_FOUND,
            "no such MCP session (it ended, expired or belongs to another agent); initialize a new"
                + " one",
            List.of(),
            Map.of());
        return;
      }
    } else if (!method.equals("POST")) {
      ServletProblems.write(
          res, 400, HttpHeaders.MCP_SESSION_ID, "is required: initialize a session first");
      return;
    }
    switch (method) {
      case "POST" -> post(req, res, who, token, session);
      case "GET" -> listen(req, res, session.orElseThrow());
      default -> end(req, res, session.orElseThrow());
    }
  }

  private void listen(HttpServletRequest req, HttpServletResponse res, HttpSessions.Session session)
      throws ServletException, IOException {
    String accept = req.getHeader("Accept");
    if (accept == null || !MediaTypes.lists(accept, EVENT_STREAM)) {
      ServletProblems.write(
          res, HttpServletResponse.SC_NOT_ACCEPTABLE, "Accept", "must list " + EVENT_STREAM);
      return;
    }
    SdkAnswers answers = new SdkAnswers(res);
    transport.service(SdkRequests.listening(req, session), answers);
    answers.finish();
  }

  private void end(HttpServletRequest req, HttpServletResponse res, HttpSessions.Session session)
      throws ServletException, IOException {
    SdkAnswers answers = new SdkAnswers(res);
    transport.service(req, answers);
    answers.finish();
    if (res.getStatus() == HttpServletResponse.SC_OK) {
      watchers.stop(session.id());
      sessions.ended(session.id());
    }
  }

  private void post(
      HttpServletRequest req,
      HttpServletResponse res,
      String agent,
      String token,
      Optional<HttpSessions.Session> session)
      throws ServletException, IOException {
    // Not getContentType(): Jetty throws on a charset it does not know, before we could refuse it.
    String type = req.getHeader("Content-Type");
    if (type == null || !MediaTypes.isJson(type)) {
      ServletProblems.write(
          res,
          HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
          "Content-Type",
          "must be " + JSON + " (UTF-8)");
      return;
    }
    String accept = req.getHeader("Accept");
    if (accept == null
        || !MediaTypes.lists(accept, JSON)
        || !MediaTypes.lists(accept, EVENT_STREAM)) {
      ServletProblems.write(
          res,
          HttpServletResponse.SC_NOT_ACCEPTABLE,
          "Accept",
          "must list both " + JSON + " and " + EVENT_STREAM);
      return;
    }
    byte[] body = req.getInputStream().readNBytes(JsonRpcChecks.MAX_MESSAGE_BYTES + 1);
    if (body.length > JsonRpcChecks.MAX_MESSAGE_BYTES) {
      ServletProblems.write(
          res,
          HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
          "body",
          "is larger than " + JsonRpcChecks.MAX_MESSAGE_BYTES + " bytes");
      return;
    }
    JsonRpcChecks.Accepted accepted;
    switch (checks.read(body)) {
      case JsonRpcChecks.Refused r -> {
        JsonRpcAnswers.refuse(res, r, json);
        return;
      }
      case JsonRpcChecks.Accepted a -> accepted = a;
    }
    if (accepted.initializes()) {
      if (sessions.full()) {
        res.setHeader("Retry-After", "60");
        ServletProblems.write(
            res,
            HttpServletResponse.SC_SERVICE_UNAVAILABLE,
            "the server holds as many MCP sessions as it may ("
                + sessions.maxTotal()
                + "); try again later",
            List.of(),
            Map.of());
        return;
      }
    } else if (session.isEmpty()) {
      ServletProblems.write(
          res, 400, HttpHeaders.MCP_SESSION_ID, "is required: initialize a session first");
      return;
    }
    if (accepted.ignored()) {
      res.setStatus(HttpServletResponse.SC_ACCEPTED);
      return;
    }
    if (accepted.message() instanceof McpSchema.JSONRPCRequest r && session.isPresent()) {
      Optional<String> refusal = InboxRequests.apply(r, session.get(), watchers, json);
      if (refusal.isPresent()) {
        JsonRpcAnswers.json(res, refusal.get());
        return;
      }
    }
    SdkAnswers answers =
        new SdkAnswers(session.isPresent() ? res : new SessionOpening(res, agent, token));
    transport.service(SdkRequests.replayed(req, body), answers);
    answers.finish();
    if (answers.getResponse() instanceof SessionOpening opening) {
      for (String old : opening.beyond) {
        endInSdk(req, res, old);
      }
    }
  }

  /**
   * Ends a session in the SDK as its client's {@code DELETE} would (which also closes its stream),
   * for a session Mailroom ended itself.
   */
  private void endInSdk(HttpServletRequest req, HttpServletResponse res, String id)
      throws ServletException, IOException {
    watchers.stop(id);
    transport.service(SdkRequests.deleting(req, id), SdkAnswers.discarding(res));
  }

  private static String printable(String s) {
    String cut = s.length() > 32 ? s.substring(0, 32) + "..." : s;
    return cut.replaceAll("[^\\x21-\\x7e]", "?");
  }

  /**
   * Records the session the SDK opens as it names it in the answer's header, before the answer is
   * sent: recorded any later, the client's next request (sent as soon as it reads the answer) could
   * find the session unknown and be answered 404.
   */
  private final class SessionOpening extends HttpServletResponseWrapper {
    private final String agent;
    private final String token;
    private boolean recorded;
    private List<String> beyond = List.of();

    SessionOpening(HttpServletResponse res, String agent, String token) {
      super(res);
      this.agent = agent;
      this.token = token;
    }

    @Override
    public void setHeader(String name, String value) {
      record(name, value);
      super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      record(name, value);
      super.addHeader(name, value);
    }

    private void record(String name, String value) {
      if (!recorded && value != null && HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name)) {
        recorded = true;
        beyond = sessions.opened(value, agent, token);
      }
    }
  }
}
