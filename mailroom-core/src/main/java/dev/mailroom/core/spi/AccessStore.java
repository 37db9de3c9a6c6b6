package dev.mailroom.core.spi;

import java.util.OptionalLong;

/**
 * The access policy (permission rules and custom roles), kept as one small versioned document that
 * the server encodes. Replacing it is a compare-and-set on the version, so concurrent changes from
 * several nodes never overwrite each other silently. Implementations are thread-safe, and tell the
 * store's {@link ChangeListener} about every replacement ({@link ChangeListener#accessChanged}).
 */
public interface AccessStore {

  /** The stored document; {@link PolicyDocument#EMPTY} (version 0) before the first replacement. */
  PolicyDocument policy();

  /**
   * Replaces the document if its stored version is still {@code expectedVersion}.
   *
   * @return the new version ({@code expectedVersion + 1}), or empty if another change came first
   */
  OptionalLong replacePolicy(long expectedVersion, String document);
}
