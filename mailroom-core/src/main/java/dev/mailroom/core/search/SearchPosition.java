package dev.mailroom.core.search;

import dev.mailroom.core.MessageId;
import java.util.Objects;

/**
 * Where a page of search results ends: the rank and id of its last hit. The next page holds the
 * hits after it in result order (rank descending, then id descending).
 */
public record SearchPosition(double rank, MessageId id) {
  public SearchPosition {
    Objects.requireNonNull(id, "id");
    if (!Double.isFinite(rank)) {
      throw new IllegalArgumentException("rank must be finite");
    }
  }

  /** Whether a hit of {@code rank} and {@code id} comes after this position. */
  public boolean isBefore(double otherRank, MessageId otherId) {
    return otherRank < rank || (otherRank == rank && otherId.compareTo(id) < 0);
  }
}
