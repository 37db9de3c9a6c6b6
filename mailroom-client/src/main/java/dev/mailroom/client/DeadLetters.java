package dev.mailroom.client;

import dev.mailroom.protocol.DeadLetterList;
import dev.mailroom.protocol.DeadLetterView;
import dev.mailroom.protocol.PurgeResult;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Dead letters ({@code /v1/dlq}): deliveries given up on, to inspect, replay and purge. From {@link
 * MailroomClient#deadLetters()} they are the caller's own (for an admin's {@link #list} and {@link
 * #purgeAll}: everyone's); from {@link MailroomClient#deadLetters(String)} an admin handles one
 * agent's. Immutable and thread-safe. Every method throws {@link MailroomClientException} on
 * failure.
 */
public final class DeadLetters {
  /** The server's page size when none is given. */
  public static final int DEFAULT_LIMIT = 50;

  private final Rest rest;
  private final Optional<String> agent;

  DeadLetters(Rest rest, Optional<String> agent) {
    this.rest = rest;
    this.agent = agent;
  }

  /**
   * The first page, of up to {@code limit} (1 to 1000). A dead letter whose message the SDK cannot
   * decode is left out of {@link DeadLetterList#deadLetters()} and listed in {@link
   * DeadLetterList#skipped()}, so it can still be replayed or purged by id.
   */
  public DeadLetterList list(int limit) {
    return page(Optional.empty(), limit);
  }

  /** The page after message id {@code afterId} (a page's {@code next_after_id}). */
  public DeadLetterList list(String afterId, int limit) {
    return page(Optional.of(afterId), limit);
  }

  /** Every page, fetched as iterated. */
  public Iterator<DeadLetterList> pages(int limit) {
    return new Pager<>(after -> page(after, limit), DeadLetterList::nextAfterId);
  }

  /** Every dead letter, fetched page by page. */
  public Stream<DeadLetterView> all(int limit) {
    return Pager.items(pages(limit), DeadLetterList::deadLetters);
  }

  private DeadLetterList page(Optional<String> afterId, int limit) {
    return rest.get("v1", "dlq")
        .query("agent", agent)
        .query("after_id", afterId)
        .query("limit", Integer.toString(limit))
        .fetch(DeadLetterList.class, Salvage::deadLetters);
  }

  /** One dead letter, by its message id. */
  public DeadLetterView get(String messageId) {
    return rest.get("v1", "dlq", messageId).query("agent", agent).fetch(DeadLetterView.class);
  }

  /** Makes the delivery pending again with its attempts reset; a stream pushes it at once. */
  public void replay(String messageId) {
    rest.post("v1", "dlq", messageId, "replay").query("agent", agent).send();
  }

  /** Removes one dead letter. */
  public void purge(String messageId) {
    rest.delete("v1", "dlq", messageId).query("agent", agent).send();
  }

  /** Removes every dead letter in scope; answers how many. */
  public PurgeResult purgeAll() {
    return rest.delete("v1", "dlq").query("agent", agent).fetch(PurgeResult.class);
  }
}
