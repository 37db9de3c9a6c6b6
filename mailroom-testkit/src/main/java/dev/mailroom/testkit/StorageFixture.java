package dev.mailroom.testkit;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one contract test runs on: the clock, the storage under test, and every storage opened for
 * the test so that all are closed afterwards. Not thread-safe; tests open and close storages from
 * their own thread.
 */
final class StorageFixture {
  /** Where the clock of every contract test starts. */
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final MutableClock clock = MutableClock.of(START);
  private Optional<StorageContract> contract = Optional.empty();
  private final List<Storage> opened = new ArrayList<>();
  private Optional<Storage> current = Optional.empty();
  private RetentionPolicy retention = RetentionPolicy.DEFAULTS;

  /** Binds the fixture to the backend under test; called before each test. */
  void attach(StorageContract backend) {
    contract = Optional.of(backend);
  }

  private StorageContract contract() {
    return contract.orElseThrow(() -> new IllegalStateException("no backend attached"));
  }

  boolean can(StorageContract.Capability capability) {
    return contract().capabilities().contains(capability);
  }

  Storage storage() {
    return current.orElseThrow(() -> new IllegalStateException("no storage is open"));
  }

  RetentionPolicy retention() {
    return retention;
  }

  /** Closes the current storage and opens a fresh, empty one with {@code policy}. */
  Storage open(RetentionPolicy policy) {
    current.ifPresent(Storage::close);
    retention = policy;
    Storage fresh = contract().createStorage(clock, policy);
    opened.add(fresh);
    current = Optional.of(fresh);
    return fresh;
  }

  /** Closes the current storage and opens it again over the same data. */
  Storage reopen() {
    storage().close();
    Storage again = contract().reopen(clock, retention);
    opened.add(again);
    current = Optional.of(again);
    return again;
  }

  /** Closes everything this test opened; closing twice is part of the contract. */
  void closeAll() {
    RuntimeException failure = null;
    for (Storage s : opened.reversed()) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    opened.clear();
    current = Optional.empty();
    if (failure != null) {
      throw failure;
    }
  }
}
