package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.delivery.Delivery;
import dev.mailroom.core.delivery.Subscription;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.delivery.engine.DeliveryEngine;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's open stream: a pump between its {@link DeliveryEngine}, which decides what to push
 * and when, and its transport (a WebSocket or an SSE response), which carries the frames.
 *
 * <p>Threads: {@link #run()} is the stream's own (virtual) thread, the engine's pump; {@link
 * #offer}, {@link #rewind}, {@link #acknowledged}, {@link #acknowledgedByClient} and {@link #close}
 * may be called from any thread.
 */
public final class StreamSession implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamSession.class);

  /** How long the end of a stream waits for an acknowledgement write under way. */
  private static final Duration LAST_ACKS = Duration.ofSeconds(5);

  /** How long a stream waits before trying the store again after it was unavailable: 100 ms up. */
  private static final Duration STORE_WAIT_MIN = Duration.ofMillis(100);

  private static final Duration STORE_WAIT_MAX = Duration.ofSeconds(2);

  /** The most deliveries one {@code deliveries} frame carries. */
  static final int MAX_COALESCED = 256;

  /**
   * About the most characters of message JSON one {@code deliveries} frame carries; a delivery
   * larger than that goes in a frame of its own.
   */
  static final int MAX_COALESCED_CHARS = 256 * 1024;

  private final AgentId agent;
  private final StreamCredential credential;
  private final StreamTransport transport;
  private final StreamContext context;
  private final Optional<MessageId> resumeAfter;
  private final DeliveryEngine<RenderedMessage> engine;
  private final Instant openedAt;

  /**
   * The client's own acknowledgements not yet written: only those, not a push that counts as
   * acknowledged, are the agent acknowledging for receipts and obligations. As bounded as the
   * engine's queue of acknowledgements to write: each leaves when it is written.
   */
  private final Set<MessageId> clientAcks = ConcurrentHashMap.newKeySet();

  StreamSession(
      AgentId agent,
      StreamCredential credential,
      StreamTransport transport,
      StreamContext context,
      boolean inboxAutoAck,
      Optional<MessageId> resumeAfter,
      boolean coalesce) {
    this.agent = agent;
    this.credential = credential;
    this.transport = transport;
    this.context = context;
    this.resumeAfter = resumeAfter;
    this.openedAt = context.clock().instant();
    this.engine =
        new DeliveryEngine<>(
            agent,
            new StorePort(),
            new TransportSink(coalesce),
            context.settings(),
            context.clock(),
            () -> ThreadLocalRandom.current().nextDouble(),
            write -> Thread.ofVirtual().name("acks-" + agent).start(write),
            new DeliveryEngine.Options(inboxAutoAck, resumeAfter));
  }

  public AgentId agent() {
    return agent;
  }

  /** When the stream was opened. */
  public Instant openedAt() {
    return openedAt;
  }

  StreamCredential credential() {
    return credential;
  }

  /** A delivery the store just committed for this agent. Never blocks. */
  void offer(RenderedMessage message, SubscriptionId subscription) {
    engine.offer(message, subscription);
  }

  /** Live deliveries may have been missed: read every pending delivery from the store again. */
  void rewind() {
    engine.rewind();
  }

  /** Deliveries the agent acknowledged elsewhere (the store already knows). */
  void acknowledged(List<MessageId> ids) {
    engine.acknowledged(ids);
  }

  /** Acknowledgements from the client over this stream, written to the store in batches. */
  public void acknowledgedByClient(List<MessageId> ids) {
    context.metrics().acknowledged(ids.size());
    clientAcks.addAll(ids);
    engine.acknowledgedByClient(ids);
  }

  /** Ends the stream: its thread finishes what it is doing and closes the transport. */
  public void close(String reason) {
    engine.close(reason);
  }

  @Override
  public void run() {
    String reason = "stream ended";
    try {
      transport.send(
          "connected", null, context.frames().connected(agent, resumeAfter, context.settings()));
      engine.start();
      Duration storeWait = Duration.ZERO;
      while (true) {
        String closing;
        try {
          closing = engine.step();
          if (!storeWait.isZero()) {
            storeWait = Duration.ZERO;
            LOG.info("stream of {} goes on: the store answers again", agent);
          }
        } catch (MailroomException.Unavailable e) {
          // The store is down (a Redis outage): keep the client, wait, and read the pending
          // deliveries again once it answers; what the engine could not write it writes then.
          if (storeWait.isZero()) {
            LOG.warn("stream of {} waits for the store: {}", agent, e.getMessage());
          }
          storeWait = storeWait.isZero() ? STORE_WAIT_MIN : min(storeWait.multipliedBy(2));
          engine.pause(storeWait);
          engine.rewind();
          continue;
        }
        if (closing == null && tokenExpired()) {
          closing = "token expired";
        }
        if (closing != null) {
          reason = closing;
          break;
        }
        // Pushing never blocks (writes are asynchronous), so a busy stream would keep its carrier
        // thread; giving it up after each round keeps HTTP requests and the other streams served.
        Thread.yield();
        if (!engine.busy()) {
          engine.awaitWork();
        }
      }
    } catch (IOException e) {
      reason = "connection lost: " + e.getMessage();
      LOG.debug("stream of {} lost its connection", agent, e);
    } catch (InterruptedException e) {
      reason = "server stopping";
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      reason = "internal error";
      LOG.error("stream of {} failed", agent, e);
    } finally {
      finish(reason);
    }
  }

  private static Duration min(Duration wait) {
    return wait.compareTo(STORE_WAIT_MAX) > 0 ? STORE_WAIT_MAX : wait;
  }

  private boolean tokenExpired() {
    return credential.expiresAt().isPresent()
        && !context.clock().instant().isBefore(credential.expiresAt().get());
  }

  /** Ends the stream: the engine writes what it owes the store, then the transport closes. */
  private void finish(String reason) {
    try {
      engine.finish(LAST_ACKS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("stream of {}: could not record its last acknowledgements", agent, e);
    }
    transport.close(reason);
    context.ended(this);
  }

  /** The engine's view of the store and of this node's subscriptions and permissions. */
  private final class StorePort implements DeliveryEngine.Port<RenderedMessage> {
    @Override
    public List<Delivery> pending(Optional<MessageId> after, int limit) {
      return context.store().pending(agent, after, limit);
    }

    @Override
    public RenderedMessage render(Message message) {
      return context.render(message);
    }

    @Override
    public Message message(RenderedMessage rendered) {
      return rendered.message();
    }

    @Override
    public boolean mayRead(Message message) {
      return context.mayRead(agent, message);
    }

    @Override
    public Optional<Subscription> subscription(SubscriptionId id) {
      return context.subscriptions().get(id);
    }

    @Override
    public boolean recordAttempts(MessageId id, int attempts) {
      return context.store().recordAttempts(agent, id, attempts);
    }

    @Override
    public boolean deadLetter(MessageId id, int attempts, String reason) {
      return context.store().deadLetter(agent, id, attempts, reason);
    }

    @Override
    public void acknowledge(List<MessageId> ids) {
      context.store().acknowledge(agent, ids);
      List<MessageId> byClient = ids.stream().filter(clientAcks::remove).toList();
      if (!byClient.isEmpty()) {
        context.acknowledgedOverStream(agent, byClient);
      }
    }
  }

  /**
   * The engine's pushes, as frames on the transport. With {@code coalesce}, the pushes of one
   * engine step go out together: one as a {@code message} frame, several as one {@code deliveries}
   * frame (up to {@link #MAX_COALESCED} of them and about {@link #MAX_COALESCED_CHARS} characters),
   * so a busy stream writes one frame, and the client reads one, for many deliveries.
   */
  private final class TransportSink implements DeliveryEngine.Sink<RenderedMessage> {
    private final boolean coalesce;
    private final List<StreamFrames.Item> held = new ArrayList<>();
    private int heldChars;

    TransportSink(boolean coalesce) {
      this.coalesce = coalesce;
    }

    @Override
    public void message(RenderedMessage message, SubscriptionId subscription, int attempt)
        throws IOException {
      if (!coalesce) {
        send(message, subscription, attempt);
        return;
      }
      int chars = message.json().length();
      if (!held.isEmpty() && heldChars + chars > MAX_COALESCED_CHARS) {
        flush();
      }
      held.add(new StreamFrames.Item(message, subscription, attempt));
      heldChars += chars;
      if (held.size() >= MAX_COALESCED) {
        flush();
      }
    }

    @Override
    public void flush() throws IOException {
      if (held.size() == 1) {
        StreamFrames.Item h = held.getFirst();
        send(h.message(), h.subscription(), h.attempt());
      } else if (!held.isEmpty()) {
        String lastId = held.getLast().message().message().id().toString();
        transport.send("deliveries", lastId, context.frames().deliveries(held));
      }
      held.clear();
      heldChars = 0;
    }

    private void send(RenderedMessage message, SubscriptionId subscription, int attempt)
        throws IOException {
      transport.send(
          "message",
          message.message().id().toString(),
          context.frames().message(message, subscription, attempt));
    }

    @Override
    public void batch(
        SubscriptionId subscription, List<DeliveryEngine.Pushed<RenderedMessage>> items)
        throws IOException {
      flush(); // frames go out in the order of their pushes
      String lastId = items.getLast().message().message().id().toString();
      transport.send("batch", lastId, context.frames().batch(subscription, items));
    }

    @Override
    public void heartbeat() throws IOException {
      flush();
      transport.send("heartbeat", null, context.frames().heartbeat(context.clock().instant()));
    }

    @Override
    public void pushed(RenderedMessage message, boolean redelivery) {
      Duration sinceSent =
          Duration.between(message.message().timestamp(), context.clock().instant());
      context.metrics().pushed(redelivery, sinceSent);
    }

    @Override
    public void withheld() {
      context.metrics().withheld();
    }

    @Override
    public void deadLettered() {
      context.metrics().deadLettered();
    }
  }
}
