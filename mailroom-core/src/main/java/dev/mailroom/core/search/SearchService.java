package dev.mailroom.core.search;

import dev.mailroom.core.Listing;
import dev.mailroom.core.MailboxInfo;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Principal;
import dev.mailroom.core.access.Action;
import dev.mailroom.core.access.Permissions;
import dev.mailroom.core.spi.MessageStore;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Full-text search over what a caller may read. The store narrows the search to the caller's
 * messages and the shared mailboxes and topics ({@link MessageStore#search}) in its index, ranks
 * and filters there; this service then drops what an access policy forbids, asking the policy once
 * per target mailbox. Admins search every message. Messages in another agent's mailbox that a rule
 * lets the caller read are searched by naming that mailbox. Thread-safe; it holds no state.
 */
public final class SearchService {
  /** The most store pages one page of results reads before it answers short, with a cursor. */
  static final int MAX_STORE_PAGES = 10;

  private final MessageStore messages;
  private final Permissions permissions;
  private final InstantSource clock;

  /**
   * @param clock resolves a listing's maximum age
   */
  public SearchService(MessageStore messages, Permissions permissions, InstantSource clock) {
    this.messages = messages;
    this.permissions = permissions;
    this.clock = clock;
  }

  /**
   * One page of a search with a listing's filters and page size ({@link Listing#position} and
   * {@link Listing#order} do not apply: results are in rank order, continuing after {@code after}).
   */
  public SearchPage search(
      Principal caller,
      SearchQuery query,
      Optional<MailboxName> mailbox,
      Listing listing,
      Optional<SearchPosition> after) {
    return search(
        caller, query, mailbox, listing.filterAt(clock.instant()), after, listing.limit());
  }

  /**
   * One page of the messages the caller may read that match {@code query} and pass {@code filter},
   * in rank order, after {@code after} when given; only those in {@code mailbox} when given. A page
   * that had to skip many forbidden hits may be short, but its cursor continues after everything it
   * looked at.
   *
   * @throws MailroomException.InvalidRequest if {@code limit} is not between 1 and 1000
   * @throws MailroomException.NotFound if {@code mailbox} does not exist
   * @throws MailroomException.Forbidden if the caller may not read {@code mailbox}
   */
  public SearchPage search(
      Principal caller,
      SearchQuery query,
      Optional<MailboxName> mailbox,
      MessageFilter filter,
      Optional<SearchPosition> after,
      int limit) {
    if (limit < 1 || limit > MessageQuery.MAX_LIMIT) {
      throw MailroomException.InvalidRequest.field(
          "limit", "must be between 1 and " + MessageQuery.MAX_LIMIT);
    }
    if (mailbox.isPresent()) {
      MailboxInfo box =
          messages
              .mailbox(mailbox.get())
              .orElseThrow(() -> new MailroomException.NotFound("no mailbox " + mailbox.get()));
      permissions.require(caller, Action.READ, mailbox.get(), box.kind());
    }
    SearchRequest request =
        new SearchRequest(query, caller.id(), caller.isAdmin(), mailbox, filter, after, limit);
    Readable readable = new Readable(caller);
    List<SearchHit> hits = new ArrayList<>(Math.min(limit, 64));
    Optional<SearchPosition> at = after;
    for (int pages = 0; pages < MAX_STORE_PAGES; pages++) {
      SearchPage page = messages.search(request.continuing(at, limit));
      for (int i = 0; i < page.hits().size(); i++) {
        SearchHit hit = page.hits().get(i);
        if (readable.test(hit.envelope().message())) {
          hits.add(hit);
          if (hits.size() == limit) {
            boolean more = i < page.hits().size() - 1 || page.next().isPresent();
            return new SearchPage(hits, more ? Optional.of(hit.position()) : Optional.empty());
          }
        }
      }
      if (page.next().isEmpty()) {
        return new SearchPage(hits, Optional.empty());
      }
      at = page.next();
    }
    return new SearchPage(hits, at);
  }

  /** Whether the caller may read a message, asking once per target mailbox. */
  private final class Readable {
    private final Principal caller;
    private final Map<MailboxName, Boolean> byTarget = new HashMap<>();

    Readable(Principal caller) {
      this.caller = caller;
    }

    boolean test(Message m) {
      if (caller.isAdmin() || m.sender().equals(caller.id()) || m.target().isEmpty()) {
        return permissions.mayRead(caller, m);
      }
      return byTarget.computeIfAbsent(m.target().get(), t -> permissions.mayRead(caller, m));
    }
  }
}
