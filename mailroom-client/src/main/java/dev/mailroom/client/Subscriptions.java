package dev.mailroom.client;

import dev.mailroom.protocol.SubscriptionList;
import dev.mailroom.protocol.SubscriptionView;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The caller's standing interests in mailboxes and topics by name or pattern ({@code
 * /v1/subscriptions}). Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class Subscriptions {
  private final Rest rest;

  Subscriptions(Rest rest) {
    this.rest = rest;
  }

  /** Subscribes the caller to a name or pattern ({@code ai.models.*}) with the defaults. */
  public SubscriptionView create(String pattern) {
    return create(pattern, SubscriptionSettings.defaults());
  }

  /** Subscribes the caller to a name or pattern with these settings. */
  public SubscriptionView create(String pattern, SubscriptionSettings settings) {
    return rest.post("v1", "subscriptions")
        .body(settings.toRequest(Optional.of(pattern)))
        .fetch(SubscriptionView.class);
  }

  /**
   * Every one of the caller's subscriptions, by id, fetched page by page: one list, with no {@code
   * nextCursor}.
   */
  public SubscriptionList list() {
    return new SubscriptionList(all().toList());
  }

  /** One page of the caller's subscriptions, by id. */
  public SubscriptionList list(PageRequest page) {
    return rest.get("v1", "subscriptions").query(page.parameters()).fetch(SubscriptionList.class);
  }

  /** Every page from {@code first}, fetched as iterated. */
  public Iterator<SubscriptionList> pages(PageRequest first) {
    return new Pager<>(
        cursor -> list(cursor.map(first::withCursor).orElse(first)), SubscriptionList::nextCursor);
  }

  /** Every one of the caller's subscriptions, by id, fetched page by page as the stream is read. */
  public Stream<SubscriptionView> all() {
    return Pager.items(pages(PageRequest.first()), SubscriptionList::subscriptions);
  }

  /** One of the caller's subscriptions (an admin: anyone's), with its current queue. */
  public SubscriptionView get(String id) {
    return rest.get("v1", "subscriptions", id).fetch(SubscriptionView.class);
  }

  /** Removes a subscription; its pending deliveries are dropped (the inbox keeps the messages). */
  public void delete(String id) {
    rest.delete("v1", "subscriptions", id).send();
  }
}
