package dev.mailroom.mcp;

import dev.mailroom.server.ServletEndpoint;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The MCP SDK's streamable HTTP servlet, with what Mailroom adds in front of it: a session serves
 * only the agent that opened it (another agent's session id is answered 404, as an unknown one);
 * {@code resources/subscribe} and {@code resources/unsubscribe} of the inbox start and stop the
 * session's {@link InboxWatchers inbox watch} (a subscription over the watch limits is refused with
 * a JSON-RPC error); the session's stream of server messages is tracked so the watch notifies only
 * while someone listens. The agent comes from the endpoint's gate, which authenticated the request.
 */
final class McpHttpServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** The largest JSON-RPC message read, as the SDK's own limit. */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final transient HttpServletStreamableServerTransportProvider transport;
  private final transient HttpSessions sessions;
  private final transient InboxWatchers watchers;
  private final transient McpJsonMapper json;

  McpHttpServlet(
      HttpServletStreamableServerTransportProvider transport,
      HttpSessions sessions,
      InboxWatchers watchers,
      McpJsonMapper json) {
    this.transport = transport;
    this.sessions = sessions;
    this.watchers = watchers;
    this.json = json;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res)
      throws ServletException, IOException {
    Object agent = req.getAttribute(ServletEndpoint.AGENT_ATTRIBUTE);
    if (!(agent instanceof String who)) {
      throw new IllegalStateException("the MCP servlet runs behind the server's gate only");
    }
    String token = McpHttpEndpoint.bearerToken(req);
    String id = req.getHeader(HttpHeaders.MCP_SESSION_ID);
    Optional<HttpSessions.Session> session = Optional.empty();
    if (id != null) {
      session = sessions.use(id, who, token);
      if (session.isEmpty()) {
        res.sendError(HttpServletResponse.SC_NOT_FOUND, "no such session: " + id);
        return;
      }
    }
    switch (req.getMethod()) {
      case "POST" -> post(req, res, who, token, session);
      case "GET" ->
          transport.service(session.isPresent() ? new Listening(req, session.get()) : req, res);
      case "DELETE" -> {
        transport.service(req, res);
        if (id != null && res.getStatus() == HttpServletResponse.SC_OK) {
          watchers.stop(id);
          sessions.ended(id);
        }
      }
      default -> transport.service(req, res);
    }
  }

  private void post(
      HttpServletRequest req,
      HttpServletResponse res,
      String agent,
      String token,
      Optional<HttpSessions.Session> session)
      throws ServletException, IOException {
    byte[] body = req.getInputStream().readNBytes(MAX_MESSAGE_BYTES + 1);
    if (body.length > MAX_MESSAGE_BYTES) {
      res.sendError(
          HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
          "a message is at most " + MAX_MESSAGE_BYTES + " bytes");
      return;
    }
    if (parse(body).orElse(null) instanceof McpSchema.JSONRPCRequest r && session.isPresent()) {
      Optional<String> refusal = InboxRequests.apply(r, session.get(), watchers, json);
      if (refusal.isPresent()) {
        res.setStatus(HttpServletResponse.SC_OK);
        res.setContentType("application/json");
        res.getOutputStream().write(refusal.get().getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    transport.service(
        new Replayed(req, body), session.isPresent() ? res : new SessionOpening(res, agent, token));
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
        sessions.opened(value, agent, token);
      }
    }
  }

  private Optional<McpSchema.JSONRPCMessage> parse(byte[] body) {
    try {
      return Optional.of(
          McpSchema.deserializeJsonRpcMessage(json, new String(body, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the SDK answers what it cannot read
    }
  }

  /** The request with its body read already, for the SDK to read again. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;

    Replayed(HttpServletRequest req, byte[] body) {
      super(req);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(
          new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }
  }

  /** The request of a session's stream: the session counts as listening while it is open. */
  private static final class Listening extends HttpServletRequestWrapper {
    private final HttpSessions.Session session;

    Listening(HttpServletRequest req, HttpSessions.Session session) {
      super(req);
      this.session = session;
    }

    @Override
    public AsyncContext startAsync() {
      AsyncContext async = super.startAsync();
      session.streamOpened();
      async.addListener(
          new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
              session.streamClosed();
            }

            @Override
            public void onTimeout(AsyncEvent event) {}

            @Override
            public void onError(AsyncEvent event) {}

            @Override
            public void onStartAsync(AsyncEvent event) {}
          });
      return async;
    }
  }
}
