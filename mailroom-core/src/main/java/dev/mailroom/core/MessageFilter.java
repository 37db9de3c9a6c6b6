package dev.mailroom.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The listing filters of the HTTP API, all combinable (a message must pass every one that is set).
 * Time bounds are absolute: relative ones such as {@code max_age_seconds} are resolved against the
 * clock before a filter is built.
 *
 * @param since created at or after
 * @param until created at or before
 * @param afterId id strictly greater than
 * @param beforeId id strictly less than
 * @param sender sent by
 * @param minPriority priority at least
 * @param contentType of this content type
 * @param tags carrying every one of these tags
 * @param unread true: only unread by the reader; false: only read by the reader
 * @param thread in this thread ({@link #inThread})
 */
public record MessageFilter(
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<MessageId> afterId,
    Optional<MessageId> beforeId,
    Optional<AgentId> sender,
    Optional<Priority> minPriority,
    Optional<ContentType> contentType,
    Set<Tag> tags,
    Optional<Boolean> unread,
    Optional<ThreadId> thread) {

  /** The filter that lets everything through. */
  public static final MessageFilter NONE =
      new MessageFilter(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Set.of(),
          Optional.empty(),
          Optional.empty());

  /** The filter that lets through only what the reader has not marked read. */
  public static final MessageFilter UNREAD =
      new MessageFilter(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Set.of(),
          Optional.of(true),
          Optional.empty());

  public MessageFilter {
    tags = Set.copyOf(tags);
    Objects.requireNonNull(thread, "thread");
  }

  /** A filter on content only (no time, id or read-state bounds): what a subscription may set. */
  public static MessageFilter content(
      Optional<AgentId> sender,
      Optional<Priority> minPriority,
      Optional<ContentType> contentType,
      Set<Tag> tags) {
    return new MessageFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        sender,
        minPriority,
        contentType,
        tags,
        Optional.empty(),
        Optional.empty());
  }

  /** This filter with another lower time bound. */
  public MessageFilter withSince(Instant bound) {
    return new MessageFilter(
        Optional.of(bound),
        until,
        afterId,
        beforeId,
        sender,
        minPriority,
        contentType,
        tags,
        unread,
        thread);
  }

  /** This filter with another lower id bound (exclusive). */
  public MessageFilter withAfterId(MessageId bound) {
    return new MessageFilter(
        since,
        until,
        Optional.of(bound),
        beforeId,
        sender,
        minPriority,
        contentType,
        tags,
        unread,
        thread);
  }

  /** This filter, restricted to one thread. */
  public MessageFilter withThread(ThreadId thread) {
    return new MessageFilter(
        since,
        until,
        afterId,
        beforeId,
        sender,
        minPriority,
        contentType,
        tags,
        unread,
        Optional.of(thread));
  }

  /**
   * Whether a message belongs to a thread: it names the thread, or it is the thread's root, the
   * message without a thread of its own whose replies started the thread under its id ({@link
   * ThreadId#root}).
   */
  public static boolean inThread(Message message, ThreadId thread) {
    return message.threadId().isPresent()
        ? message.threadId().get().equals(thread)
        : thread.root().filter(message.id()::equals).isPresent();
  }

  /**
   * The smallest id value the time and id bounds admit: 0 when unbounded below. Together with
   * {@link #highestIdValue()} this turns every time and id filter into one id range.
   */
  public long lowestIdValue() {
    long low = 0;
    if (since.isPresent()) {
      low = MessageId.lowestAt(since.get()).value();
    }
    if (afterId.isPresent()) {
      long after = afterId.get().value();
      // Saturate: after the largest id nothing can follow, and highestIdValue() says so.
      low = Math.max(low, after == Long.MAX_VALUE ? Long.MAX_VALUE : after + 1);
    }
    return low;
  }

  /**
   * The largest id value the time and id bounds admit: {@link Long#MAX_VALUE} when unbounded above,
   * and below {@link #lowestIdValue()} (possibly -1) when nothing can match.
   */
  public long highestIdValue() {
    long high = Long.MAX_VALUE;
    if (until.isPresent()) {
      // isBefore, not toEpochMilli: a far-future bound must clamp, not overflow.
      high = until.get().isBefore(Instant.EPOCH) ? -1 : MessageId.highestAt(until.get()).value();
    }
    if (beforeId.isPresent()) {
      high = Math.min(high, beforeId.get().value() - 1);
    }
    if (afterId.isPresent() && afterId.get().value() == Long.MAX_VALUE) {
      high = -1;
    }
    return high;
  }

  /**
   * Whether a message passes this filter for a reader. This is the reference semantics every store
   * must reproduce.
   *
   * @param message the message
   * @param read whether the reader has marked it read
   */
  public boolean matches(Message message, boolean read) {
    long id = message.id().value();
    if (id < lowestIdValue() || id > highestIdValue()) {
      return false;
    }
    if (sender.isPresent() && !sender.get().equals(message.sender())) {
      return false;
    }
    if (minPriority.isPresent() && message.priority().compareTo(minPriority.get()) < 0) {
      return false;
    }
    if (contentType.isPresent() && contentType.get() != message.contentType()) {
      return false;
    }
    if (!message.tags().containsAll(tags)) {
      return false;
    }
    if (thread.isPresent() && !inThread(message, thread.get())) {
      return false;
    }
    return unread.isEmpty() || unread.get() != read;
  }
}
