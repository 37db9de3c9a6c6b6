package dev.mailroom.client;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link MessageStream} acknowledges, reconnects and buffers. Immutable and thread-safe; the
 * builder is not.
 *
 * <pre>{@code
 * StreamOptions o = StreamOptions.builder().ackMode(AckMode.MANUAL)
 *     .reconnect(Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(10))).build();
 * }</pre>
 *
 * @param ackMode when deliveries are acknowledged
 * @param serverAutoAck ask the server to count pushes of the agent's own mailbox as acknowledged
 *     once written ({@code auto_ack=true}): at most once, no redelivery
 * @param resumeAfter the {@code last_event_id} of the first connection; later ones send the last id
 *     received
 * @param reconnect the back-off between connection attempts
 * @param maxReconnectAttempts how many attempts in a row may fail before the stream gives up
 * @param missedHeartbeats how many heartbeat intervals of silence make a connection dead
 * @param queueCapacity how many received messages may wait for the handler before the stream stops
 *     reading (one batch event may go over it by its size)
 * @param rememberedIds how many acknowledged ids the stream remembers to drop redeliveries
 * @param listener hears connections, disconnections and handler failures
 */
public record StreamOptions(
    AckMode ackMode,
    boolean serverAutoAck,
    Optional<String> resumeAfter,
    Backoff reconnect,
    int maxReconnectAttempts,
    int missedHeartbeats,
    int queueCapacity,
    int rememberedIds,
    StreamListener listener) {

  public static final int DEFAULT_QUEUE_CAPACITY = 64;
  public static final int DEFAULT_REMEMBERED_IDS = 10_000;
  public static final int DEFAULT_MISSED_HEARTBEATS = 3;
  public static final StreamOptions DEFAULTS = builder().build();

  /** When a stream acknowledges a delivery. */
  public enum AckMode {
    /** When the handler returns normally (the default). */
    AUTO,
    /** When the handler calls {@link IncomingMessage#ack()}. */
    MANUAL
  }

  public StreamOptions {
    Objects.requireNonNull(ackMode, "ackMode");
    Objects.requireNonNull(resumeAfter, "resumeAfter");
    Objects.requireNonNull(reconnect, "reconnect");
    Objects.requireNonNull(listener, "listener");
    if (maxReconnectAttempts < 1 || missedHeartbeats < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "max reconnect attempts, missed heartbeats and queue capacity must be positive");
    }
    if (rememberedIds < 1) {
      throw new IllegalArgumentException("remembered ids must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sets the parts of {@link StreamOptions}; each starts at its default. Not thread-safe. */
  public static final class Builder {
    private AckMode ackMode = AckMode.AUTO;
    private boolean serverAutoAck;
    private Optional<String> resumeAfter = Optional.empty();
    private Backoff reconnect = Backoff.DEFAULT;
    private int maxReconnectAttempts = Integer.MAX_VALUE;
    private int missedHeartbeats = DEFAULT_MISSED_HEARTBEATS;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int rememberedIds = DEFAULT_REMEMBERED_IDS;
    private StreamListener listener = new StreamListener() {};

    private Builder() {}

    /** Default {@link AckMode#AUTO}. */
    public Builder ackMode(AckMode value) {
      ackMode = value;
      return this;
    }

    /** Default false. */
    public Builder serverAutoAck(boolean value) {
      serverAutoAck = value;
      return this;
    }

    /** Resume after this message id on the first connection. */
    public Builder resumeAfter(String messageId) {
      resumeAfter = Optional.of(messageId);
      return this;
    }

    /** Default {@link Backoff#DEFAULT}. */
    public Builder reconnect(Backoff value) {
      reconnect = value;
      return this;
    }

    /** Default unlimited. */
    public Builder maxReconnectAttempts(int value) {
      maxReconnectAttempts = value;
      return this;
    }

    /** Default {@value StreamOptions#DEFAULT_MISSED_HEARTBEATS}. */
    public Builder missedHeartbeats(int value) {
      missedHeartbeats = value;
      return this;
    }

    /** Default {@value StreamOptions#DEFAULT_QUEUE_CAPACITY}. */
    public Builder queueCapacity(int value) {
      queueCapacity = value;
      return this;
    }

    /** Default {@value StreamOptions#DEFAULT_REMEMBERED_IDS}. */
    public Builder rememberedIds(int value) {
      rememberedIds = value;
      return this;
    }

    public Builder listener(StreamListener value) {
      listener = value;
      return this;
    }

    public StreamOptions build() {
      return new StreamOptions(
          ackMode,
          serverAutoAck,
          resumeAfter,
          reconnect,
          maxReconnectAttempts,
          missedHeartbeats,
          queueCapacity,
          rememberedIds,
          listener);
    }
  }
}
