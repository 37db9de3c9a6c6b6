package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.server.ServletEndpoint;
import dev.mailroom.server.SessionLimits;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The MCP server at {@code /mcp}, over streamable HTTP, for every agent of the server it is mounted
 * on. Each request carries the agent's bearer token (the server's gate has checked it); tools and
 * resource reads call the server's REST API at its own address with that token, and inbox watches
 * with the latest token their session used. Tool calls run on the request's thread. The tools never
 * touch the server's files ({@link LocalFiles#refused}): an agent's request must not make the
 * server read or write them, so file paths are refused.
 */
final class McpHttpEndpoint implements ServletEndpoint {
  /** How often the SDK drops sessions that have had no stream and no request for that long. */
  static final Duration SESSION_SWEEP = Duration.ofMinutes(30);

  private static final String TOKEN = "mailroom.token";
  private static final String BEARER = "Bearer ";

  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final Loopback loopback;
  private final McpSyncServer server;
  private final InboxWatchers watchers;
  private final McpHttpServlet servlet;
  private final AtomicBoolean closed = new AtomicBoolean();

  McpHttpEndpoint(ServletEndpoint.Context context) {
    this(context.server(), context.sessions());
  }

  /**
   * @param self the server's own address
   * @param limits how many sessions the endpoint holds, per agent and in all
   */
  McpHttpEndpoint(Supplier<URI> self, SessionLimits limits) {
    loopback = new Loopback(self);
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint(MailroomMcp.PATH)
            .contextExtractor(req -> McpTransportContext.create(Map.of(TOKEN, bearerToken(req))))
            .sessionSweepInterval(SESSION_SWEEP)
            .build();
    server =
        McpServers.build(
            McpServer.sync(transport).jsonMapper(json).immediateExecution(true),
            exchange -> loopback.client().withToken(token(exchange.transportContext())),
            LocalFiles.refused());
    watchers =
        new InboxWatchers(
            InboxWatchers.DEFAULT_MAX_WATCHES,
            InboxWatchers.DEFAULT_MAX_PER_AGENT,
            InboxWatchers.DEFAULT_POLL_WAIT);
    // A session the SDK keeps has been used within two sweeps, or has a stream open.
    HttpSessions sessions =
        new HttpSessions(
            transport,
            loopback::client,
            SESSION_SWEEP.multipliedBy(2),
            System::nanoTime,
            limits.perAgent(),
            limits.total());
    servlet = new McpHttpServlet(transport, sessions, watchers, json);
  }

  /** The token of an {@code Authorization: Bearer} header the gate accepted. */
  static String bearerToken(HttpServletRequest req) {
    String h = req.getHeader("Authorization");
    if (h == null || h.length() <= BEARER.length()) {
      throw new IllegalStateException("no bearer token: the gate admits none without one");
    }
    return h.substring(BEARER.length()).strip();
  }

  private static String token(McpTransportContext context) {
    if (!(context.get(TOKEN) instanceof String token)) {
      throw new IllegalStateException("the request's transport context holds no token");
    }
    return token;
  }

  @Override
  public String path() {
    return MailroomMcp.PATH;
  }

  @Override
  public HttpServlet servlet() {
    return servlet;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    watchers.close();
    server.closeGracefully();
    loopback.close();
  }

  /** A client of the server at its own address, made once the server listens. */
  private static final class Loopback implements AutoCloseable {
    private final Supplier<URI> self;
    private @Nullable MailroomClient client;

    Loopback(Supplier<URI> self) {
      this.self = self;
    }

    synchronized MailroomClient client() {
      if (client == null) {
        client = MailroomClient.builder().baseUri(self.get()).build();
      }
      return client;
    }

    @Override
    public synchronized void close() {
      if (client != null) {
        client.close();
      }
    }
  }
}
