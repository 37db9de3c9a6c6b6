package dev.mailroom.client;

import dev.mailroom.protocol.Problem;
import dev.mailroom.protocol.SkippedMessage;
import dev.mailroom.protocol.StreamEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link MessageStream} behind {@link MailroomClient#stream}: a supervisor thread that
 * connects, watches the connection for silence and reconnects with back-off, resuming after the
 * last id received; and a handler thread that takes deliveries from a bounded queue and dispatches
 * them in order.
 */
final class ResilientStream implements MessageStream, StreamConnection.Events {
  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
  private static final Duration LONGEST_CHECK = Duration.ofSeconds(1);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
  private static final String SUPERSEDED = "superseded";

  /** Opens one connection: the stream's URI and event sink given. */
  interface Connector {
    StreamConnection open(URI uri, StreamConnection.Events events);
  }

  private final Function<Optional<String>, URI> uris;
  private final Connector connector;
  private final StreamOptions options;
  private final Dispatcher dispatcher;
  private final DeliveryQueue queue;
  private final AckSender acks;
  private final CompletableFuture<Void> closeRequested = new CompletableFuture<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread supervisor;
  private final Thread worker;

  private volatile State state = State.CONNECTING;
  private volatile Optional<String> lastEventId;
  private volatile Optional<MailroomClientException> failure = Optional.empty();
  private volatile @Nullable StreamConnection connected;
  private volatile Duration heartbeat = DEFAULT_HEARTBEAT;

  /**
   * @param uris the stream's URI, given the id to resume after
   */
  ResilientStream(
      Function<Optional<String>, URI> uris,
      Connector connector,
      StreamOptions options,
      MessageHandler handler,
      JsonMapper mapper,
      String name) {
    this.uris = uris;
    this.connector = connector;
    this.options = options;
    this.lastEventId = options.resumeAfter();
    this.acks = new AckSender(() -> Optional.<AckSender.FrameSender>ofNullable(connected), mapper);
    this.dispatcher =
        new Dispatcher(
            handler, options.ackMode(), options.rememberedIds(), acks::add, options.listener());
    this.queue = new DeliveryQueue(options.queueCapacity());
    this.supervisor = Thread.ofPlatform().daemon().name(name + "-connection").unstarted(this::run);
    this.worker = Thread.ofPlatform().daemon().name(name + "-handler").unstarted(this::work);
  }

  void start() {
    worker.start();
    supervisor.start();
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public Optional<String> lastEventId() {
    return lastEventId;
  }

  @Override
  public Optional<MailroomClientException> failure() {
    return failure;
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    closeRequested.complete(null);
  }

  private boolean closing() {
    return closeRequested.isDone();
  }

  /** The supervisor: connect, watch, reconnect, until closed or failed. */
  private void run() {
    int failedAttempts = 0;
    try {
      while (!closing()) {
        state = State.CONNECTING;
        Attempt attempt = connectAndWatch();
        if (closing()) {
          break;
        }
        if (attempt.fatal().isPresent()) {
          failure = attempt.fatal();
          break;
        }
        failedAttempts = attempt.connected() ? 0 : failedAttempts + 1;
        if (failedAttempts >= options.maxReconnectAttempts()) {
          failure =
              Optional.of(
                  MailroomClientException.connection(
                      "gave up after " + failedAttempts + " failed attempts: " + attempt.reason(),
                      null));
          break;
        }
        Duration delay =
            options.reconnect().delay(failedAttempts + 1, ThreadLocalRandom.current().nextDouble());
        if (attempt.retryAfter().isPresent() && attempt.retryAfter().get().compareTo(delay) > 0) {
          delay = attempt.retryAfter().get();
        }
        state = State.WAITING_TO_RECONNECT;
        options.listener().disconnected(attempt.reason(), delay);
        waitUnlessClosing(delay);
      }
    } finally {
      shutDown();
    }
  }

  /** How one connection went. */
  private record Attempt(
      boolean connected,
      String reason,
      Optional<Duration> retryAfter,
      Optional<MailroomClientException> fatal) {}

  private Attempt connectAndWatch() {
    StreamConnection c;
    try {
      c = connector.open(uris.apply(lastEventId), this);
    } catch (MailroomClientException e) {
      boolean fatal =
          !e.kind().retryable() && e.kind() != MailroomClientException.Kind.SERVER_ERROR;
      return new Attempt(
          false, e.detail(), e.retryAfter(), fatal ? Optional.of(e) : Optional.empty());
    }
    try {
      StreamConnection.Ended end = watch(c);
      boolean wasConnected = connected == c;
      if (end.reason().startsWith(SUPERSEDED)) {
        return new Attempt(
            wasConnected, end.reason(), Optional.empty(), Optional.of(superseded(end.reason())));
      }
      return new Attempt(
          wasConnected, "connection ended: " + end.reason(), Optional.empty(), Optional.empty());
    } finally {
      if (closing()) {
        finishWith(c);
      } else {
        acks.connectionLost();
      }
      connected = null;
    }
  }

  /** Waits for the connection to end, or to fall silent, or for a close request. */
  private StreamConnection.Ended watch(StreamConnection c) {
    while (true) {
      Duration limit = heartbeat.multipliedBy(options.missedHeartbeats());
      Duration check = min(LONGEST_CHECK, heartbeat.dividedBy(2));
      try {
        CompletableFuture.anyOf(c.ended(), closeRequested)
            .get(Math.max(1, check.toMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // time to look at the silence
      } catch (ExecutionException e) {
        throw new IllegalStateException(e); // neither future completes exceptionally
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closeRequested.complete(null);
      }
      if (c.ended().isDone()) {
        return c.ended().join();
      }
      if (closing()) {
        return new StreamConnection.Ended(StreamConnection.Ended.ABORTED, "closing");
      }
      if (c.silence().compareTo(limit) > 0) {
        c.abort("nothing received for " + limit.toMillis() + " ms");
      }
    }
  }

  /** Closing: wait for the handler, send the acknowledgements owed, close the connection. */
  private void finishWith(StreamConnection c) {
    queue.stop();
    joinWorker();
    try {
      acks.drain(CLOSE_GRACE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    c.close(CLOSE_GRACE);
  }

  private void shutDown() {
    queue.stop();
    joinWorker();
    state = failure.isPresent() ? State.FAILED : State.CLOSED;
    options.listener().stopped(failure);
    terminated.countDown();
  }

  private void joinWorker() {
    if (Thread.currentThread() == worker || !worker.isAlive()) {
      return;
    }
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitUnlessClosing(Duration delay) {
    try {
      closeRequested.get(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // waited the whole delay
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeRequested.complete(null);
    }
  }

  /** The handler thread. */
  private void work() {
    try {
      while (true) {
        Optional<StreamEvent.Delivery> next = queue.take();
        if (next.isEmpty()) {
          return;
        }
        dispatcher.dispatch(next.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean onEvent(StreamConnection c, StreamEvent event) {
    if (closing()) {
      return true; // read on and drop until the connection closes
    }
    return switch (event) {
      case StreamEvent.Connected x -> {
        if (x.heartbeatSeconds() > 0) {
          heartbeat = Duration.ofMillis((long) (x.heartbeatSeconds() * 1000));
        }
        connected = c;
        state = State.CONNECTED;
        options.listener().connected(x);
        acks.flush();
        yield true;
      }
      case StreamEvent.Delivery d -> received(c, List.of(d));
      case StreamEvent.Batch b -> received(c, b.deliveries());
      case StreamEvent.Deliveries d -> received(c, d.deliveries());
      case StreamEvent.FrameError f -> {
        options.listener().frameRefused(f.detail());
        yield true;
      }
      case StreamEvent.Heartbeat h -> true;
      case StreamEvent.Unknown u -> true;
    };
  }

  @Override
  public void onSkipped(List<SkippedMessage> skipped, Optional<String> lastId) {
    if (closing()) {
      return;
    }
    // Like a delivery whose handler failed: not acknowledged, so the server pushes it again up to
    // its attempt limit and then dead-letters it, where an operator can see it.
    lastId.ifPresent(id -> lastEventId = Optional.of(id));
    skipped.forEach(options.listener()::skipped);
  }

  private boolean received(StreamConnection c, List<StreamEvent.Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return true;
    }
    lastEventId = Optional.of(deliveries.getLast().id());
    return queue.offer(deliveries.stream().filter(dispatcher::admit).toList(), c::resume);
  }

  private static MailroomClientException superseded(String reason) {
    return MailroomClientException.answer(
        new Problem(
            "/problems/conflict",
            "Conflict",
            409,
            reason
                + "; another process streams as the same agent (give each process its own agent)",
            Optional.empty(),
            List.of()),
        Optional.empty());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
