package dev.mailroom.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 connections with a deadline on each request's head: the request line and headers must
 * arrive within {@link HttpLimits#headerTimeout()} of their first byte, or the client is answered
 * 408 and the connection closed. Jetty's idle timeout starts again with every byte, so without this
 * a client sending a header byte every few seconds (slowloris) holds a connection, and its buffers,
 * for as long as it likes. The time between requests on a kept-alive connection is not counted (the
 * idle timeout governs it), nor is anything after the head: bodies have their own deadline ({@link
 * BodyDeadlineFilter}), and streams run as long as they are wanted.
 *
 * <p>It extends Jetty's internal {@code HttpConnection}: only there is the parser, which knows
 * whether a head is in progress. Thread-safe: the connection's lock guards the deadline's state,
 * held only briefly around (never during) Jetty's parsing and handling, which may run on two
 * threads at once (a handler reading its body while an earlier call is still inside). The timer
 * acts only when no thread is parsing; a parse it ran into checks the deadline when it ends.
 */
final class HeadDeadline extends HttpConnectionFactory {
  private final long timeoutNanos;
  private final Supplier<byte[]> answer;

  /**
   * @param answer the whole HTTP response to a request whose head came too slowly (a 408 that
   *     closes the connection)
   */
  HeadDeadline(HttpConfiguration http, Duration timeout, Supplier<byte[]> answer) {
    super(http);
    this.timeoutNanos = timeout.toNanos();
    this.answer = answer;
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    Guarded c = new Guarded(getHttpConfiguration(), connector, endPoint);
    c.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
    return configure(c, connector, endPoint);
  }

  private final class Guarded extends HttpConnection {
    private final Scheduler scheduler;

    /** Threads in {@code onFillable}. Jetty may call it again while a handler runs inside it. */
    private int active;

    /** The deadline passed: the 408 is being written; nothing else happens on the connection. */
    private boolean expired;

    /** The timer of the head in progress, if one is. */
    private Scheduler.@Nullable Task timer;

    Guarded(HttpConfiguration config, Connector connector, EndPoint endPoint) {
      super(config, connector, endPoint);
      this.scheduler = connector.getScheduler();
    }

    @Override
    public void onFillable() {
      synchronized (this) {
        if (expired) {
          return; // what arrives after the deadline is not read
        }
        active++;
      }
      try {
        super.onFillable();
      } finally {
        synchronized (this) {
          if (--active == 0) {
            settle();
          }
        }
      }
    }

    /**
     * With no thread parsing: arms the timer for a head in progress, or disarms it. Holds the lock,
     * so the parser is still (no thread is in {@code onFillable}).
     */
    private void settle() {
      HttpParser parser = getParser();
      boolean midHead =
          getEndPoint().getConnection() == this
              && getEndPoint().isOpen()
              && !parser.isStart()
              && parser.inHeaderState();
      if (!midHead) {
        cancelTimer();
        return;
      }
      long left = timeoutNanos - NanoTime.since(parser.getBeginNanoTime());
      if (left <= 0) {
        cancelTimer();
        expired = true;
        expire();
      } else if (timer == null) {
        timer = scheduler.schedule(this::fire, left, TimeUnit.NANOSECONDS);
      }
    }

    /** The timer: a head still in progress with no thread parsing has run out of time. */
    private synchronized void fire() {
      timer = null;
      if (!expired && active == 0) {
        settle(); // finds the head complete (nothing to do) or late (408)
      }
      // Otherwise a thread is parsing: it settles when it is done, and finds the head late then.
    }

    private void cancelTimer() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }

    /**
     * Answers 408 and closes. Only the thread that moved the state to EXPIRED gets here, and no
     * response is being written: the head of the next request is only parsed once the last response
     * is complete.
     */
    private void expire() {
      EndPoint endPoint = getEndPoint();
      endPoint.write(
          Callback.from(endPoint::close, failure -> endPoint.close()),
          ByteBuffer.wrap(answer.get()));
    }

    @Override
    public void onClose(@Nullable Throwable cause) {
      synchronized (this) {
        cancelTimer();
      }
      super.onClose(cause);
    }
  }
}
