package dev.mailroom.server;

import dev.mailroom.protocol.Problem;
import io.javalin.config.JavalinConfig;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.ServerConnector;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the read deadlines of {@link HttpLimits} on the server: the listener's connections enforce
 * the header deadline ({@link HeadDeadline}), plain or under TLS, and every servlet reads request
 * bodies against the body deadline ({@link BodyDeadlineFilter}).
 */
final class RequestDeadlines {
  private RequestDeadlines() {}

  /**
   * Makes Javalin listen on the configured host and port (with TLS when {@code tls} is given), and
   * mounts the body deadline in front of every servlet. Call it after the other servlet filters are
   * added, so that theirs see its answers.
   *
   * @param requestIds makes the request id of an answer to a head that came too slowly
   */
  static void install(
      JavalinConfig c,
      ServerConfig config,
      Optional<TlsListener> tls,
      JsonMapper mapper,
      Supplier<String> requestIds) {
    HttpLimits limits = config.http();
    c.jetty.addConnector(
        (server, http) -> {
          HeadDeadline h1 =
              new HeadDeadline(
                  http,
                  limits.headerTimeout(),
                  () -> headTimedOut(mapper, requestIds.get(), limits.headerTimeout()));
          if (tls.isPresent()) {
            return tls.get().connector(server, http, config.host(), config.port(), h1);
          }
          ServerConnector connector = new ServerConnector(server, h1);
          connector.setHost(config.host());
          connector.setPort(config.port());
          return connector;
        });
    c.jetty.modifyServletContextHandler(
        context -> {
          FilterHolder body =
              new FilterHolder(new BodyDeadlineFilter(limits.bodyTimeout(), mapper));
          body.setAsyncSupported(true);
          context.addFilter(body, "/*", EnumSet.of(DispatcherType.REQUEST));
        });
  }

  /** The whole HTTP response to a request whose head did not arrive in time: 408, closing. */
  static byte[] headTimedOut(JsonMapper mapper, String requestId, Duration timeout) {
    ErrorMapping m = ErrorMapping.ofStatus(408);
    byte[] body =
        mapper.writeValueAsBytes(
            new Problem(
                m.type(),
                m.title(),
                m.status(),
                "the request line and headers did not arrive within "
                    + timeout.toMillis() / 1000.0
                    + " s (mailroom.http.header-timeout)",
                Optional.of(requestId),
                List.of()));
    String head =
        "HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: "
            + Problem.MEDIA_TYPE
            + "\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + Exchanges.REQUEST_ID_HEADER
            + ": "
            + requestId
            + "\r\n"
            + "Connection: close\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }
}
