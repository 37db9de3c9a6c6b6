package dev.mailroom.testkit.reference;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.StorageFilterProperties;
import java.time.InstantSource;

/**
 * The filter property with the reference on both sides: it proves the scenario runner itself
 * (paging, id translation, comparison) before a real backend depends on it.
 */
class InMemoryFilterPropertiesTest extends StorageFilterProperties {
  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    return InMemoryStorage.create(clock, retention);
  }
}
