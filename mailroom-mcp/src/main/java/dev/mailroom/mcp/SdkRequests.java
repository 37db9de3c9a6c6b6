package dev.mailroom.mcp;

import io.modelcontextprotocol.spec.HttpHeaders;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The requests Mailroom hands the MCP SDK in place of the client's own. */
final class SdkRequests {
  private static final Logger LOG = LoggerFactory.getLogger(SdkRequests.class);

  private SdkRequests() {}

  /** The request with its body, read already, to be read again. */
  static HttpServletRequest replayed(HttpServletRequest req, byte[] body) {
    return new Replayed(req, body);
  }

  /**
   * The request of a session's stream: the session counts as listening while it is open, and the
   * stream's headers go out as soon as it opens.
   */
  static HttpServletRequest listening(HttpServletRequest req, HttpSessions.Session session) {
    return new Listening(req, session);
  }

  /**
   * A {@code DELETE} of the session {@code id}, with the credentials of {@code req} (an agent's
   * request that made Mailroom end another of its sessions).
   */
  static HttpServletRequest deleting(HttpServletRequest req, String id) {
    return new Deleting(req, id);
  }

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

  private static final class Listening extends HttpServletRequestWrapper {
    private final HttpSessions.Session session;

    Listening(HttpServletRequest req, HttpSessions.Session session) {
      super(req);
      this.session = session;
    }

    @Override
    public AsyncContext startAsync() {
      AsyncContext async = super.startAsync();
      try {
        // The SDK sends the stream's headers with its first event, which may come much later: a
        // client (or a proxy) should know at once that the stream is open. Nothing else writes
        // to the response before the SDK takes its writer, just after this returns.
        async.getResponse().flushBuffer();
      } catch (IOException e) {
        LOG.debug("could not open the stream of session {}: {}", session.id(), e.getMessage());
      }
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

  private static final class Deleting extends HttpServletRequestWrapper {
    private final String id;

    Deleting(HttpServletRequest req, String id) {
      super(req);
      this.id = id;
    }

    @Override
    public String getMethod() {
      return "DELETE";
    }

    @Override
    public String getHeader(String name) {
      return HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name) ? id : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return HttpHeaders.MCP_SESSION_ID.equalsIgnoreCase(name)
          ? Collections.enumeration(List.of(id))
          : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = new ArrayList<>(Collections.list(super.getHeaderNames()));
      names.removeIf(HttpHeaders.MCP_SESSION_ID::equalsIgnoreCase);
      names.add(HttpHeaders.MCP_SESSION_ID);
      return Collections.enumeration(names);
    }
  }
}
