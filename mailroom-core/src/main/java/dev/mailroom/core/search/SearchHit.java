package dev.mailroom.core.search;

import dev.mailroom.core.Envelope;
import java.util.Objects;

/** One search result: the message with the reader's read time, and its {@link Relevance} rank. */
public record SearchHit(Envelope envelope, double rank) {
  public SearchHit {
    Objects.requireNonNull(envelope, "envelope");
  }

  /** Where a page ending with this hit ends. */
  public SearchPosition position() {
    return new SearchPosition(rank, envelope.message().id());
  }
}
