package dev.mailroom.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * whether a head is in progress. Thread-safe: Jetty calls {@code onFillable} on one thread at a
 * time, and a state machine keeps the deadline's timer from acting while it runs.
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
    /** No head in progress (between requests, or while one is handled). */
    private static final int IDLE = 0;

    /** A head is in progress and the timer runs. */
    private static final int ARMED = 1;

    /** Jetty is parsing (in {@code onFillable}); the timer leaves the connection alone. */
    private static final int PARSING = 2;

    /** The deadline passed: the 408 is being written; nothing else happens on the connection. */
    private static final int EXPIRED = 3;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Scheduler scheduler;

    /** The timer of the head in progress; only the thread in state PARSING touches it. */
    private volatile Scheduler.@Nullable Task timer;

    /** Set by the timer when it fires, so that a parse it ran into expires the head after. */
    private volatile boolean fired;

    Guarded(HttpConfiguration config, Connector connector, EndPoint endPoint) {
      super(config, connector, endPoint);
      this.scheduler = connector.getScheduler();
    }

    @Override
    public void onFillable() {
      for (; ; ) {
        int s = state.get();
        if (s == EXPIRED) {
          return; // what arrives after the deadline is not read
        }
        // Another call may be in its last instructions (Jetty asked for more bytes just before
        // it returned): wait for it rather than parse at the same time.
        if (s != PARSING && state.compareAndSet(s, PARSING)) {
          break;
        }
        Thread.onSpinWait();
      }
      try {
        super.onFillable();
      } finally {
        settle();
      }
    }

    /** After parsing: arms the timer for a head in progress, or disarms it. */
    private void settle() {
      HttpParser parser = getParser();
      boolean midHead =
          getEndPoint().getConnection() == this
              && getEndPoint().isOpen()
              && !parser.isStart()
              && parser.inHeaderState();
      if (!midHead) {
        cancelTimer();
        state.set(IDLE);
        return;
      }
      long left = timeoutNanos - NanoTime.since(parser.getBeginNanoTime());
      if (left <= 0) {
        cancelTimer();
        state.set(EXPIRED);
        expire();
        return;
      }
      if (timer == null) {
        fired = false;
        timer = scheduler.schedule(this::fire, left, TimeUnit.NANOSECONDS);
      }
      state.set(ARMED);
      if (fired && state.compareAndSet(ARMED, EXPIRED)) {
        expire(); // the timer fired while this thread parsed
      }
    }

    private void fire() {
      fired = true;
      if (state.compareAndSet(ARMED, EXPIRED)) {
        expire();
      }
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
      Scheduler.Task t = timer;
      if (t != null) {
        t.cancel(); // a racing settle may still schedule one: it finds the state expired or idle
      }
      super.onClose(cause);
    }
  }
}
