package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of an {@link ServletEndpoint}, which is a servlet of its own beside Javalin's
 * (Javalin completes every asynchronous request when its handler returns, which would cut an
 * endpoint's streams short): the request id, authentication and rate limits as for {@code /v1},
 * then the request metrics and one audit record when the servlet returns (for a stream: once it is
 * open). The audit record's resource is the request's {@code Mcp-Session-Id}, if any. Thread-safe.
 */
final class EndpointGate implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointGate.class);
  static final String SESSION_HEADER = "Mcp-Session-Id";

  private final String path;
  private final Authenticator authenticator;
  private final RateLimits limits;
  private final AuditCapture audit;
  private final ServerMetrics metrics;
  private final UnaryOperator<@Nullable String> requestIds;

  /**
   * @param requestIds the request id for the client's {@code X-Request-Id} (or its absence)
   */
  EndpointGate(
      String path,
      Authenticator authenticator,
      RateLimits limits,
      AuditCapture audit,
      ServerMetrics metrics,
      UnaryOperator<@Nullable String> requestIds) {
    this.path = path;
    this.authenticator = authenticator;
    this.limits = limits;
    this.audit = audit;
    this.metrics = metrics;
    this.requestIds = requestIds;
  }

  /** Mounts the endpoint's servlet at its path, behind this gate. */
  void mount(ServletContextHandler context, ServletEndpoint endpoint) {
    ServletHolder servlet = new ServletHolder(endpoint.servlet());
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, path);
    FilterHolder gate = new FilterHolder(this);
    gate.setAsyncSupported(true);
    context.addFilter(gate, path, EnumSet.of(DispatcherType.REQUEST));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    var req = (HttpServletRequest) request;
    var res = (HttpServletResponse) response;
    long start = System.nanoTime();
    String id = requestIds.apply(req.getHeader(Exchanges.REQUEST_ID_HEADER));
    res.setHeader(Exchanges.REQUEST_ID_HEADER, id);
    AgentId agent;
    try {
      agent =
          limits
              .admit(
                  authenticator,
                  Authenticator.authorization(req.getHeaders("Authorization")),
                  req.getRemoteAddr())
              .agent()
              .id();
    } catch (MailroomException e) {
      String detail = refuse(req, res, id, e);
      finished(req, res, id, Optional.empty(), res.getStatus(), Optional.of(detail), start);
      return;
    }
    req.setAttribute(ServletEndpoint.AGENT_ATTRIBUTE, agent.value());
    boolean failed = true;
    try {
      chain.doFilter(req, res);
      failed = false;
    } finally {
      // An exception escaping the servlet becomes Jetty's 500 after this returns.
      finished(
          req,
          res,
          id,
          Optional.of(agent),
          failed ? ErrorMapping.INTERNAL.status() : res.getStatus(),
          Optional.empty(),
          start);
    }
  }

  private String refuse(
      HttpServletRequest req, HttpServletResponse res, String id, MailroomException e)
      throws IOException {
    String detail = ServletProblems.detail(e);
    LOG.info(
        "refused request {} {} {} from {}: {}",
        id,
        req.getMethod(),
        path,
        req.getRemoteAddr(),
        detail);
    ServletProblems.write(res, e);
    return detail;
  }

  private void finished(
      HttpServletRequest req,
      HttpServletResponse res,
      String id,
      Optional<AgentId> agent,
      int status,
      Optional<String> detail,
      long start) {
    String method = HttpApi.methodOf(req.getMethod());
    metrics.recordRequest(method, path, status, System.nanoTime() - start);
    // A session's first request gets its id in the answer.
    String session =
        Optional.ofNullable(req.getHeader(SESSION_HEADER))
            .orElseGet(() -> res.getHeader(SESSION_HEADER));
    audit.endpointRequest(
        id,
        agent,
        method,
        path,
        session == null || session.isBlank() ? AuditCapture.NONE : session,
        status,
        detail);
  }
}
