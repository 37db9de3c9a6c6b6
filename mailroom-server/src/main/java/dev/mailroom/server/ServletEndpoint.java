package dev.mailroom.server;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.function.Supplier;

/**
 * An HTTP endpoint that another module adds to a server at a path of its own: the MCP server at
 * {@code /mcp} (module {@code mailroom-mcp}). The server puts it behind the same front door as
 * {@code /v1}: each request gets a request id ({@code X-Request-Id}), must carry a valid bearer
 * token within its agent's rate limit (else a 401 or 429 {@code application/problem+json} answer
 * before the endpoint sees it), is counted in the request metrics and leaves one audit record. The
 * servlet finds the authenticated agent's id in the request attribute {@link #AGENT_ATTRIBUTE}.
 *
 * <p>One endpoint serves one run of one server: {@link Factory#create} makes it as the server
 * starts, {@link #close()} ends it as the server stops, before HTTP stops (so open streams do not
 * hold the shutdown). Implementations must be thread-safe.
 */
public interface ServletEndpoint extends AutoCloseable {
  /** The request attribute holding the authenticated agent's id (a {@link String}). */
  String AGENT_ATTRIBUTE = "dev.mailroom.agent";

  /** The path served, exactly, such as {@code /mcp}. */
  String path();

  /** The servlet serving {@link #path()}; it may answer asynchronously. */
  HttpServlet servlet();

  /** Ends what the endpoint holds open: sessions, streams, threads. Safe to call twice. */
  @Override
  void close();

  /** Makes an endpoint for one run of a server. */
  @FunctionalInterface
  interface Factory {
    ServletEndpoint create(Context context);
  }

  /**
   * What a server tells the endpoints it mounts.
   *
   * @param server the server's own base URI (loopback when it listens on every address); the
   *     supplier answers once the server listens and throws {@link IllegalStateException} before
   * @param sessions how many sessions an endpoint that keeps them may hold
   */
  record Context(Supplier<URI> server, SessionLimits sessions) {}
}
