package dev.mailroom.protocol;

import java.util.List;

/** The caller's subscriptions ({@code GET /v1/subscriptions}). */
public record SubscriptionList(List<SubscriptionView> subscriptions) {
  public SubscriptionList {
    subscriptions = List.copyOf(subscriptions);
  }
}
