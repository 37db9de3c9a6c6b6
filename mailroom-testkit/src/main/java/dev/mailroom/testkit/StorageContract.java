package dev.mailroom.testkit;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.spi.Storage;
import java.time.InstantSource;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The storage contract: every rule of {@link dev.mailroom.core.spi.MessageStore}, {@link
 * dev.mailroom.core.spi.AgentStore} (profiles, retirement, enrollments and console sessions
 * included), {@link dev.mailroom.core.spi.PresenceStore}, {@link
 * dev.mailroom.core.spi.DeliveryStore}, {@link dev.mailroom.core.spi.TopicStore}, {@link
 * dev.mailroom.core.spi.AccessStore}, {@link dev.mailroom.core.spi.AuditStore} and {@link
 * dev.mailroom.core.spi.ReservationStore} and {@link dev.mailroom.core.spi.ObligationStore},
 * written once. A backend runs it by subclassing in a few lines:
 *
 * <pre>{@code
 * class FileStorageContractTest extends StorageContract {
 *   @TempDir Path dir;
 *   private Path file;
 *
 *   protected Storage createStorage(InstantSource clock, RetentionPolicy retention) {
 *     file = dir.resolve(UUID.randomUUID() + ".db");
 *     return FileStorage.open(file, clock, retention);
 *   }
 *
 *   protected Set<Capability> capabilities() {
 *     return Set.of(Capability.REOPEN);
 *   }
 *
 *   protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
 *     return FileStorage.open(file, clock, retention);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh storage from {@link #createStorage} on a {@link MutableClock} that
 * starts at 2026-01-01T00:00:00Z and moves only when the test moves it; a test that needs another
 * retention policy asks for one more storage. Every storage a test opens is closed after it.
 *
 * <p>A backend that cannot honour a rule says so in {@link #capabilities()}: the tests of a missing
 * capability are reported as skipped with the reason, never silently disabled.
 */
public abstract class StorageContract {

  /** Optional parts of the contract a backend declares it honours. */
  public enum Capability {
    /**
     * Data survives {@link Storage#close()}: {@link #reopen} opens the same data again. A backend
     * declaring it must override {@link #reopen}.
     */
    REOPEN
  }

  private final StorageFixture fixture = new StorageFixture();

  /**
   * A new, empty storage. Called at least once per test; a test that needs another retention policy
   * (a small inbox, a short dedupe window) calls it again after closing the first.
   *
   * @param clock the only source of time the storage may use
   * @param retention the policy the storage keeps to
   */
  protected abstract Storage createStorage(InstantSource clock, RetentionPolicy retention);

  /** The optional parts of the contract this backend honours; none by default. */
  protected Set<Capability> capabilities() {
    return Set.of();
  }

  /**
   * Opens again the data of the storage most recently returned by {@link #createStorage} or by this
   * method, which the suite has closed. Only called when {@link #capabilities()} holds {@link
   * Capability#REOPEN}.
   */
  protected Storage reopen(InstantSource clock, RetentionPolicy retention) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " declares REOPEN but does not override reopen()");
  }

  @BeforeEach
  protected final void openStorage() {
    fixture.attach(this);
    fixture.open(RetentionPolicy.DEFAULTS);
  }

  @AfterEach
  protected final void closeStorages() {
    fixture.closeAll();
  }

  @Nested
  class Sending extends SendingRules {
    Sending() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Attachments extends AttachmentRules {
    Attachments() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Routing extends RoutingRules {
    Routing() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Idempotency extends IdempotencyRules {
    Idempotency() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Querying extends QueryingRules {
    Querying() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Pagination extends PaginationRules {
    Pagination() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class ReadState extends ReadStateRules {
    ReadState() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Retention extends RetentionRules {
    Retention() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class FanOut extends FanOutRules {
    FanOut() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Subscriptions extends SubscriptionRules {
    Subscriptions() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Deliveries extends DeliveryRules {
    Deliveries() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Listener extends ListenerRules {
    Listener() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class DeadLetters extends DeadLetterRules {
    DeadLetters() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Topics extends TopicRules {
    Topics() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Stats extends StatsRules {
    Stats() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Agents extends AgentRules {
    Agents() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Threads extends ThreadRules {
    Threads() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Search extends SearchRules {
    Search() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Directory extends DirectoryRules {
    Directory() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class AgentDeletion extends AgentDeletionRules {
    AgentDeletion() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Presence extends PresenceRules {
    Presence() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Sessions extends SessionRules {
    Sessions() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Reservations extends ReservationRules {
    Reservations() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Obligations extends ObligationRules {
    Obligations() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Access extends AccessRules {
    Access() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Audit extends AuditRules {
    Audit() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Concurrency extends ConcurrencyRules {
    Concurrency() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Durability extends DurabilityRules {
    Durability() {
      super(StorageContract.this.fixture);
    }
  }

  @Nested
  class Lifecycle extends LifecycleRules {
    Lifecycle() {
      super(StorageContract.this.fixture);
    }
  }
}
