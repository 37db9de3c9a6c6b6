package dev.mailroom.testkit.reference;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.StorageContract;
import java.time.InstantSource;

/**
 * The contract suite on the reference storage. It lives outside the test kit's package so that it
 * subclasses the suite exactly as a backend module does.
 */
class InMemoryStorageContractTest extends StorageContract {
  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    return InMemoryStorage.create(clock, retention);
  }
}
