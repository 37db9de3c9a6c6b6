package dev.mailroom.core;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the items, in the requested order
 * @param next where the next page starts (exclusive), or empty if this is the last page
 */
public record Page<T>(List<T> items, Optional<MessageId> next) {
  public Page {
    items = List.copyOf(items);
  }

  /** The same page position with other items (a filtered subset). */
  public Page<T> withItems(List<T> subset) {
    return new Page<>(subset, next);
  }
}
