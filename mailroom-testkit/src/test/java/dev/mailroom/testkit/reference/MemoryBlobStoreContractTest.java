package dev.mailroom.testkit.reference;

import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.testkit.BlobStoreContract;
import dev.mailroom.testkit.MemoryBlobStore;

class MemoryBlobStoreContractTest extends BlobStoreContract {
  @Override
  protected BlobStore createStore() {
    return new MemoryBlobStore();
  }
}
