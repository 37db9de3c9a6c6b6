package dev.mailroom.testkit;

import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.PolicyDocument;
import java.util.OptionalLong;

/**
 * The reference access policy: one document and its version. Part of {@link InMemoryStorage}: it
 * holds that storage's lock for every operation.
 */
final class InMemoryAccess implements AccessStore {
  private final InMemoryStorage storage;
  private PolicyDocument policy = PolicyDocument.EMPTY;

  InMemoryAccess(InMemoryStorage storage) {
    this.storage = storage;
  }

  @Override
  public PolicyDocument policy() {
    synchronized (storage.lock) {
      storage.ensureOpen();
      return policy;
    }
  }

  @Override
  public OptionalLong replacePolicy(long expectedVersion, String document) {
    synchronized (storage.lock) {
      storage.ensureOpen();
      if (policy.version() != expectedVersion) {
        return OptionalLong.empty();
      }
      policy = new PolicyDocument(expectedVersion + 1, document);
      storage.changes.accessChanged();
      return OptionalLong.of(policy.version());
    }
  }
}
