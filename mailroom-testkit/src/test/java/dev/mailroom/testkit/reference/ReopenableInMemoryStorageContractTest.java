package dev.mailroom.testkit.reference;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.AuditStore;
import dev.mailroom.core.spi.BlobStore;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.PresenceStore;
import dev.mailroom.core.spi.ReservationStore;
import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.core.spi.StoreObserver;
import dev.mailroom.core.spi.TopicStore;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.StorageContract;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The contract on a reference storage that outlives its handles: closing a handle keeps the data,
 * and {@link #reopen} hands out a new handle on it. It exercises the suite's durability group,
 * which the plain reference skips for want of the capability.
 */
class ReopenableInMemoryStorageContractTest extends StorageContract {
  private Optional<Storage> data = Optional.empty();

  @Override
  protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
    data.ifPresent(Storage::close);
    Storage fresh = InMemoryStorage.create(clock, retention);
    data = Optional.of(fresh);
    return new Handle(fresh);
  }

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.REOPEN);
  }

  @Override
  protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
    return new Handle(data.orElseThrow());
  }

  /** A handle whose close leaves the data open for the next handle. */
  private record Handle(Storage data) implements Storage {
    @Override
    public MessageStore messages() {
      return data.messages();
    }

    @Override
    public AgentStore agents() {
      return data.agents();
    }

    @Override
    public DeliveryStore deliveries() {
      return data.deliveries();
    }

    @Override
    public TopicStore topics() {
      return data.topics();
    }

    @Override
    public AccessStore access() {
      return data.access();
    }

    @Override
    public AuditStore audit() {
      return data.audit();
    }

    @Override
    public BlobStore blobs() {
      return data.blobs();
    }

    @Override
    public ReservationStore reservations() {
      return data.reservations();
    }

    @Override
    public dev.mailroom.core.spi.ObligationStore obligations() {
      return data.obligations();
    }

    @Override
    public PresenceStore presence() {
      return data.presence();
    }

    @Override
    public StoreHealth health() {
      return data.health();
    }

    @Override
    public void listen(ChangeListener listener) {
      data.listen(listener);
    }

    @Override
    public void observe(StoreObserver observer) {
      data.observe(observer);
    }

    @Override
    public void close() {}
  }
}
