package dev.mailroom.mcp;

import dev.mailroom.server.ServletProblems;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP SDK's answers, except its refusals. The SDK answers an error with its own JSON (a
 * serialized exception, stack and all) or with the container's empty error page; Mailroom checks
 * requests before the SDK sees them, so this should not happen, but when it does the client gets a
 * problem answer with the same status instead, and the SDK's words go to the log only. Not
 * thread-safe: one per request.
 */
final class SdkAnswers extends HttpServletResponseWrapper {
  private static final Logger LOG = LoggerFactory.getLogger(SdkAnswers.class);
  private static final int KEPT_FOR_THE_LOG = 2_048;

  private int refused;
  private @Nullable String reason;
  private final Discarded discarded = new Discarded();

  SdkAnswers(HttpServletResponse res) {
    super(res);
  }

  /**
   * A response that sends nothing at all, for a request Mailroom makes of the SDK itself (its
   * client's answer went out already on {@code res}).
   */
  static HttpServletResponse discarding(HttpServletResponse res) {
    return new HttpServletResponseWrapper(res) {
      private final Discarded out = new Discarded();

      @Override
      public void setStatus(int sc) {}

      @Override
      public void sendError(int sc, String msg) {}

      @Override
      public void sendError(int sc) {}

      @Override
      public void setHeader(String name, String value) {}

      @Override
      public void addHeader(String name, String value) {}

      @Override
      public void setContentType(String type) {}

      @Override
      public void setCharacterEncoding(String charset) {}

      @Override
      public ServletOutputStream getOutputStream() {
        return out;
      }

      @Override
      public PrintWriter getWriter() {
        return new PrintWriter(out, true, StandardCharsets.UTF_8);
      }
    };
  }

  @Override
  public void setStatus(int sc) {
    if (sc >= 400) {
      refused = sc;
    } else if (refused == 0) {
      super.setStatus(sc);
    }
  }

  @Override
  public void sendError(int sc, String msg) {
    refused = sc;
    reason = msg;
  }

  @Override
  public void sendError(int sc) {
    refused = sc;
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    return refused != 0 ? discarded : super.getOutputStream();
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    return refused != 0
        ? new PrintWriter(discarded, true, StandardCharsets.UTF_8)
        : super.getWriter();
  }

  /** Answers the refusal the SDK made, if it made one, as a problem. */
  void finish() throws IOException {
    if (refused == 0) {
      return;
    }
    int status = refused >= 500 && refused != 503 ? 500 : refused;
    String said = discarded.text();
    if (status == 500) {
      LOG.error("the MCP SDK failed a request checked beforehand: {} {}", reason, said);
    } else {
      LOG.debug("the MCP SDK refused a request with {}: {} {}", refused, reason, said);
    }
    ServletProblems.write(
        (HttpServletResponse) getResponse(), status, detail(status), List.of(), Map.of());
  }

  private String detail(int status) {
    return switch (status) {
      case 400 -> "the MCP server could not accept this request";
      case 403 ->
          "the MCP transport refused the request's headers (Origin, Host or protocol version)";
      case 404 -> "no such MCP session (it ended, expired or belongs to another agent)";
      case 413 -> "the message is larger than the MCP server reads";
      case 503 -> "the MCP server is shutting down; try again on another node or later";
      case 500 ->
          "an unexpected error occurred; quote request id "
              + getHeader("X-Request-Id")
              + " when reporting it";
      default -> "the MCP server could not process this request";
    };
  }

  /** Where the SDK's own words go: kept in part for the log, never sent. */
  private static final class Discarded extends ServletOutputStream {
    private final StringBuilder kept = new StringBuilder();

    @Override
    public void write(int b) {
      if (kept.length() < KEPT_FOR_THE_LOG) {
        kept.append((char) b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      int n = Math.min(len, KEPT_FOR_THE_LOG - kept.length());
      if (n > 0) {
        kept.append(new String(b, off, n, StandardCharsets.UTF_8));
      }
    }

    String text() {
      return kept.toString();
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("discarded output is never asynchronous");
    }
  }
}
