package dev.mailroom.client;

import dev.mailroom.protocol.ObligationList;
import dev.mailroom.protocol.ObligationView;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Obligations ({@code GET /v1/obligations}): what the caller's messages asked for in return
 * (acknowledgements, replies by a deadline) and what messages to it ask of it, open, overdue or
 * met. A send asks with {@link Draft#ackRequired()} and {@link Draft#replyBy}. Immutable and
 * thread-safe. Every method throws {@link MailroomClientException} on failure.
 */
public final class Obligations {
  private final Rest rest;

  Obligations(Rest rest) {
    this.rest = rest;
  }

  /** Whose obligations: owed to the caller, or by it. */
  public enum Role {
    /** Those of the caller's own messages. */
    OWED_TO_ME,
    /** Those of messages sent to the caller (or to a shared mailbox or topic named). */
    OWED_BY_ME
  }

  /** Where an obligation stands. */
  public enum State {
    OPEN,
    OVERDUE,
    MET
  }

  /**
   * One page of obligations, newest message first.
   *
   * @param states the states to list; empty for the server's default (open and overdue)
   * @param mailbox with {@link Role#OWED_BY_ME}, a shared mailbox or topic the caller may read
   */
  public ObligationList list(
      Role role, Set<State> states, Optional<String> mailbox, PageRequest page) {
    return rest.get("v1", "obligations")
        .query("role", role.name().toLowerCase(Locale.ROOT))
        .query(
            "state",
            states.isEmpty()
                ? Optional.empty()
                : Optional.of(
                    states.stream()
                        .map(s -> s.name().toLowerCase(Locale.ROOT))
                        .sorted()
                        .collect(Collectors.joining(","))))
        .query("mailbox", mailbox)
        .query(page.parameters())
        .fetch(ObligationList.class);
  }

  /** Every page from {@code first}, fetched as iterated. */
  public Iterator<ObligationList> pages(
      Role role, Set<State> states, Optional<String> mailbox, PageRequest first) {
    return new Pager<>(
        cursor -> list(role, states, mailbox, cursor.map(first::withCursor).orElse(first)),
        ObligationList::nextCursor);
  }

  /** Every obligation of one side in {@code states}, fetched as the stream is read. */
  public Stream<ObligationView> all(Role role, Set<State> states) {
    return Pager.items(
        pages(role, states, Optional.empty(), PageRequest.first()), ObligationList::obligations);
  }
}
