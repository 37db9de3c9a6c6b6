package dev.mailroom.server;

import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailroomException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deadline on request bodies ({@link HttpLimits#bodyTimeout()}): a body must have arrived
 * within it, counted from when the request reaches the servlets. Jetty's idle timeout starts again
 * with every byte, so without this a client sending a byte a second holds a request, and the thread
 * reading it, for as long as it likes.
 *
 * <p>A read after the deadline fails with {@link MailroomException.LimitExceeded} of {@link
 * ErrorCode#REQUEST_TIMEOUT}, as does a read the connection's idle timeout ended (a body that
 * stopped arriving). The {@code /v1} routes answer it as any other problem (408); for the other
 * servlets ({@code /mcp}) this filter answers it, if nothing was answered yet. Requests without a
 * body, streams among them, pass untouched. Thread-safe.
 */
final class BodyDeadlineFilter implements Filter {
  private final Duration timeout;
  private final JsonMapper mapper;

  BodyDeadlineFilter(Duration timeout, JsonMapper mapper) {
    this.timeout = timeout;
    this.mapper = mapper;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    var req = (HttpServletRequest) request;
    if (req.getContentLengthLong() <= 0 && req.getHeader("Transfer-Encoding") == null) {
      chain.doFilter(request, response);
      return;
    }
    var res = (HttpServletResponse) response;
    try {
      chain.doFilter(new Deadlined(req, System.nanoTime() + timeout.toNanos()), res);
    } catch (MailroomException.LimitExceeded e) {
      if (e.code() != ErrorCode.REQUEST_TIMEOUT || res.isCommitted()) {
        throw e;
      }
      answer(res, e);
    }
  }

  private void answer(HttpServletResponse res, MailroomException e) throws IOException {
    res.setHeader("Connection", "close"); // the rest of the body is never read
    ServletProblems.write(res, e);
  }

  private MailroomException timedOut() {
    return MailroomException.LimitExceeded.timedOut(
        "the request body did not arrive within "
            + timeout.toMillis() / 1000.0
            + " s (mailroom.http.body-timeout)");
  }

  /** The request with its body read against the deadline. */
  private final class Deadlined extends HttpServletRequestWrapper {
    private final long deadline;
    private @Nullable ServletInputStream body;

    Deadlined(HttpServletRequest request, long deadline) {
      super(request);
      this.deadline = deadline;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (body == null) {
        body = new Body(super.getInputStream(), deadline);
      }
      return body;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  /** Fails every read once the deadline has passed. */
  private final class Body extends ServletInputStream {
    private final ServletInputStream in;
    private final long deadline;

    Body(ServletInputStream in, long deadline) {
      this.in = in;
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      check();
      try {
        return in.read();
      } catch (IOException e) {
        throw timedOutIfLate(e);
      }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      check();
      try {
        return in.read(buf, off, len);
      } catch (IOException e) {
        throw timedOutIfLate(e);
      }
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }

    private void check() {
      if (System.nanoTime() - deadline > 0) {
        throw timedOut();
      }
    }

    /** A read ended by the idle timeout, or failing after the deadline, timed out. */
    private IOException timedOutIfLate(IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TimeoutException) {
          throw MailroomException.LimitExceeded.timedOut(
              "the request body stopped arriving before its end: nothing came for as long as a"
                  + " connection may stay idle");
        }
      }
      check();
      return e;
    }
  }
}
