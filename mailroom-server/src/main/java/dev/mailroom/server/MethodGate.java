package dev.mailroom.server;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.jspecify.annotations.Nullable;

/**
 * The first filter of every request: methods the API does not use are refused here, before any
 * servlet's defaults answer them ({@code HttpServlet} echoes a {@code TRACE}, bearer token and all,
 * and answers methods it does not know with 501). A WebSocket upgrade is a {@code GET}: other
 * methods carrying upgrade headers are served as the plain requests they are. Refusals are problems
 * with a request id, and audited. The paths of {@link ServletEndpoint}s are left to their servlets,
 * which answer every method themselves (with an accurate {@code Allow}). Stateless and thread-safe.
 */
final class MethodGate implements Filter {
  /** The methods some route of the API serves. */
  static final Set<String> SERVED = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

  private static final Set<String> UPGRADE_HEADERS =
      Set.of("upgrade", "sec-websocket-key", "sec-websocket-version");

  private final AuditCapture audit;
  private final UnaryOperator<@Nullable String> requestIds;
  private final Set<String> endpoints;

  /**
   * @param endpoints the paths whose servlets answer every method themselves
   */
  MethodGate(
      AuditCapture audit, UnaryOperator<@Nullable String> requestIds, Set<String> endpoints) {
    this.audit = audit;
    this.requestIds = requestIds;
    this.endpoints = Set.copyOf(endpoints);
  }

  /** Puts the gate in front of everything the context serves. */
  void mount(ServletContextHandler context) {
    FilterHolder holder = new FilterHolder(this);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    var req = (HttpServletRequest) request;
    var res = (HttpServletResponse) response;
    String method = req.getMethod();
    if (!SERVED.contains(method) && !endpoints.contains(req.getRequestURI())) {
      String id = requestIds.apply(req.getHeader(Exchanges.REQUEST_ID_HEADER));
      res.setHeader(Exchanges.REQUEST_ID_HEADER, id);
      String detail = "method " + printable(method) + " is not allowed";
      ServletProblems.write(
          res, HttpServletResponse.SC_METHOD_NOT_ALLOWED, detail, List.of(), Map.of());
      audit.endpointRequest(
          id,
          Optional.empty(),
          HttpApi.methodOf(method),
          req.getRequestURI().length() > 256
              ? req.getRequestURI().substring(0, 256)
              : req.getRequestURI(),
          AuditCapture.NONE,
          HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          Optional.of(detail));
      return;
    }
    chain.doFilter(method.equals("GET") ? req : new NoUpgrade(req), res);
  }

  /** A method name as it may be shown: printable ASCII, cut short. */
  private static String printable(String method) {
    String cut = method.length() > 32 ? method.substring(0, 32) + "..." : method;
    return cut.replaceAll("[^\\x21-\\x7e]", "?");
  }

  /** The request without its upgrade headers, which only a {@code GET} may act on. */
  private static final class NoUpgrade extends HttpServletRequestWrapper {
    NoUpgrade(HttpServletRequest req) {
      super(req);
    }

    @Override
    public @Nullable String getHeader(String name) {
      return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = Collections.list(super.getHeaderNames());
      names.removeIf(NoUpgrade::hidden);
      return Collections.enumeration(names);
    }

    private static boolean hidden(String name) {
      return UPGRADE_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT));
    }
  }
}
