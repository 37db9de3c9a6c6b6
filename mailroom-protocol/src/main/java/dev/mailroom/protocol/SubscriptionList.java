package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of the caller's subscriptions ({@code GET /v1/subscriptions}), by id.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page (and
 *     absent from servers that answered every subscription at once)
 */
public record SubscriptionList(
    List<SubscriptionView> subscriptions,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public SubscriptionList {
    subscriptions = List.copyOf(subscriptions);
  }

  /** A whole list: one page with nothing after it. */
  public SubscriptionList(List<SubscriptionView> subscriptions) {
    this(subscriptions, Optional.empty());
  }
}
