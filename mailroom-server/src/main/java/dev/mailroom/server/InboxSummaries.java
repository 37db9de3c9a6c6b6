package dev.mailroom.server;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.Envelope;
import dev.mailroom.core.Listing;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageService;
import dev.mailroom.core.Order;
import dev.mailroom.core.Principal;
import dev.mailroom.core.receipt.Obligation;
import dev.mailroom.core.receipt.ObligationService;
import dev.mailroom.protocol.InboxSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds an agent's {@link InboxSummary}. The work is bounded whatever the backlog: the unread
 * count is the store's own count (as {@code GET /v1/inbox/unread_count}), and senders and subjects
 * come from one listing of at most {@value #EXAMINED} of the newest unread messages, read with the
 * inbox's rules ({@link MessageService#inbox}); overdue obligations come from two indexed reads of
 * a few each. Thread-safe.
 */
final class InboxSummaries {
  /** How many of the newest unread messages are looked at. */
  static final int EXAMINED = 200;

  /** How many senders the summary names. */
  static final int TOP_SENDERS = 5;

  /** How many messages it lists. */
  static final int NEWEST = 5;

  /** The longest subject, in characters, before it is cut with an ellipsis. */
  static final int MAX_SUBJECT = 120;

  private static final Listing NEWEST_UNREAD =
      new Listing(MessageFilter.UNREAD, Optional.empty(), Optional.empty(), Order.DESC, EXAMINED);

  private final MessageService service;
  private final JsonMapper mapper;

  InboxSummaries(MessageService service, JsonMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  /** How many overdue obligations of each side it lists. */
  static final int OVERDUE = 5;

  private static final Set<Obligation.State> OVERDUE_ONLY = EnumSet.of(Obligation.State.OVERDUE);

  /** The caller's summary now. */
  InboxSummary summarize(Principal caller) {
    long unread = service.unreadCount(caller);
    List<Envelope> examined = service.inbox(caller, NEWEST_UNREAD).items();
    List<InboxSummary.Item> newest = new ArrayList<>(NEWEST);
    for (Envelope e : examined.subList(0, Math.min(NEWEST, examined.size()))) {
      Message m = e.message();
      newest.add(
          new InboxSummary.Item(
              m.id().toString(),
              m.sender().value(),
              m.timestamp(),
              m.priority().wireName(),
              m.contentType().mediaType(),
              subject(m)));
    }
    // A message may arrive between the count and the listing: never claim fewer than are shown.
    return new InboxSummary(
        caller.id().value(),
        Math.max(unread, examined.size()),
        examined.size(),
        topSenders(examined),
        newest,
        overdue(caller));
  }

  /**
   * Up to {@value #OVERDUE} overdue obligations of each side, newest message first: two indexed
   * reads, whatever the caller owes.
   */
  private InboxSummary.Overdue overdue(Principal caller) {
    ObligationService obligations = service.obligations();
    List<Obligation> byMe =
        obligations.list(
            caller,
            ObligationService.Role.OWED_BY_ME,
            Optional.empty(),
            OVERDUE_ONLY,
            Optional.empty(),
            OVERDUE + 1);
    List<Obligation> toMe =
        obligations.list(
            caller,
            ObligationService.Role.OWED_TO_ME,
            Optional.empty(),
            OVERDUE_ONLY,
            Optional.empty(),
            OVERDUE + 1);
    return new InboxSummary.Overdue(
        brief(byMe, o -> o.sender().value()),
        brief(toMe, o -> o.target().value()),
        byMe.size() > OVERDUE || toMe.size() > OVERDUE);
  }

  private static List<InboxSummary.Obligation> brief(
      List<Obligation> found, Function<Obligation, String> counterpart) {
    return found.stream()
        .limit(OVERDUE)
        .map(
            o ->
                new InboxSummary.Obligation(
                    o.message().toString(),
                    counterpart.apply(o),
                    o.replyBy().orElseThrow(),
                    o.ackRequired()))
        .toList();
  }

  private static List<InboxSummary.SenderCount> topSenders(List<Envelope> examined) {
    Map<String, Long> counts = new HashMap<>();
    for (Envelope e : examined) {
      counts.merge(e.message().sender().value(), 1L, Long::sum);
    }
    return counts.entrySet().stream()
        .map(c -> new InboxSummary.SenderCount(c.getKey(), c.getValue()))
        .sorted(
            Comparator.comparingLong(InboxSummary.SenderCount::count)
                .reversed()
                .thenComparing(InboxSummary.SenderCount::sender))
        .limit(TOP_SENDERS)
        .toList();
  }

  /**
   * The metadata's {@code subject} when it is non-blank text, else the first non-blank line of a
   * plain text or markdown payload; other payloads (JSON, code, bytes, references) have none.
   */
  private Optional<String> subject(Message m) {
    Optional<String> named = metadataSubject(m.metadata());
    if (named.isPresent()) {
      return named;
    }
    if (m.contentType() != ContentType.TEXT_PLAIN && m.contentType() != ContentType.TEXT_MARKDOWN) {
      return Optional.empty();
    }
    return firstLine(m.payload().text());
  }

  private Optional<String> metadataSubject(String metadata) {
    if (!metadata.contains("\"subject\"")) {
      return Optional.empty(); // most messages have none: spare the parse
    }
    try {
      JsonNode subject = mapper.readTree(metadata).path("subject");
      return subject.isString() ? firstLine(subject.stringValue()) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty(); // stored metadata was checked on send; this is only a summary
    }
  }

  /** The first line with anything but white space on it, stripped and shortened. */
  static Optional<String> firstLine(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .map(InboxSummaries::shorten);
  }

  private static String shorten(String line) {
    if (line.length() <= MAX_SUBJECT) {
      return line;
    }
    int end = MAX_SUBJECT - 1;
    if (Character.isHighSurrogate(line.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return line.substring(0, end) + "…";
  }
}
