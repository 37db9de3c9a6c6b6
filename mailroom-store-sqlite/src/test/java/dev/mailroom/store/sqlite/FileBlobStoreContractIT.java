package dev.mailroom.store.sqlite;

import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.testkit.BlobStoreContract;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract on files: a fresh temp directory per test, reopened from it. */
class FileBlobStoreContractIT extends BlobStoreContract {
  @TempDir Path dir;

  @Override
  protected BlobStore createStore() {
    return FileBlobStore.open(dir.resolve("blobs"));
  }

  @Override
  protected Optional<BlobStore> reopen() {
    return Optional.of(FileBlobStore.open(dir.resolve("blobs")));
  }
}
