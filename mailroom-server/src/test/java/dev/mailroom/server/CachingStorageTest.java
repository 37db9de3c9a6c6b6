package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.AgentRecord;
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
import dev.mailroom.testkit.MutableClock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingStorageTest {
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"));
  private final Storage backing = InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS);
  private final AtomicLong nanos = new AtomicLong();
  private final CachingStorage cached = new CachingStorage(backing, nanos::get);

  /** {@code storage} with its agents replaced by {@code agents}. */
  private static Storage withAgents(Storage storage, AgentStore agents) {
    return new Storage() {
      @Override
      public MessageStore messages() {
        return storage.messages();
      }

      @Override
      public AgentStore agents() {
        return agents;
      }

      @Override
      public DeliveryStore deliveries() {
        return storage.deliveries();
      }

      @Override
      public TopicStore topics() {
        return storage.topics();
      }

      @Override
      public AccessStore access() {
        return storage.access();
      }

      @Override
      public AuditStore audit() {
        return storage.audit();
      }

      @Override
      public BlobStore blobs() {
        return storage.blobs();
      }

      @Override
      public ReservationStore reservations() {
        return storage.reservations();
      }

      @Override
      public dev.mailroom.core.spi.ObligationStore obligations() {
        return storage.obligations();
      }

      @Override
      public PresenceStore presence() {
        return storage.presence();
      }

      @Override
      public StoreHealth health() {
        return storage.health();
      }

      @Override
      public void listen(ChangeListener listener) {
        storage.listen(listener);
      }

      @Override
      public void observe(StoreObserver observer) {
        storage.observe(observer);
      }

      @Override
      public void close() {
        storage.close();
      }
    };
  }

  private AgentRecord agent(String id) {
    return new AgentRecord(AgentId.of(id), Set.of(Role.AGENT), clock.instant());
  }

  @Test
  void anAgentCreatedIsFoundAtOnceEvenAfterAMissWhenTheChangeIsHeard() {
    // As the server does it: the store's change listener forgets what changed.
    cached.listen(
        new ChangeListener() {
          @Override
          public void agentChanged(AgentId agent) {
            cached.forget(agent);
          }
        });
    assertThat(cached.agents().find(AgentId.of("alice"))).isEmpty();

    cached.agents().create(agent("alice"), "hash");

    assertThat(cached.agents().find(AgentId.of("alice"))).isPresent();
  }

  @Test
  void whileTheStoreIsDownAnAgentLookedUpBeforeIsAnsweredFromTheCache() {
    CountingAgents agents = new CountingAgents(backing.agents());
    CachingStorage overDown = new CachingStorage(withAgents(backing, agents), nanos::get);
    backing.agents().create(agent("bob"), "hash");
    assertThat(overDown.agents().find(AgentId.of("bob"))).isPresent();
    agents.down = true;
    nanos.addAndGet(CachingStorage.TTL.toNanos() + 1);

    assertThat(overDown.agents().find(AgentId.of("bob"))).isPresent();
    assertThatThrownBy(() -> overDown.agents().find(AgentId.of("carol")))
        .isInstanceOf(MailroomException.Unavailable.class);
  }

  @Test
  void anAgentCachedBeforeForgetAllIsReadAgainButServesWhileTheStoreIsDown() {
    CountingAgents agents = new CountingAgents(backing.agents());
    CachingStorage overDown = new CachingStorage(withAgents(backing, agents), nanos::get);
    backing.agents().create(agent("bob"), "hash");
    assertThat(overDown.agents().find(AgentId.of("bob"))).isPresent();

    overDown.forgetAll();
    agents.down = true;
    assertThat(overDown.agents().find(AgentId.of("bob"))).isPresent();
    agents.down = false;
    backing.agents().revokeToken(AgentId.of("bob"));
    backing.agents().replaceRoles(AgentId.of("bob"), Set.of(Role.OBSERVER));

    assertThat(overDown.agents().find(AgentId.of("bob")).orElseThrow().roles())
        .containsExactly(Role.OBSERVER);
  }

  @Test
  void aForgottenAgentIsReadAgainAtOnce() {
    assertThat(cached.agents().find(AgentId.of("bob"))).isEmpty();
    backing.agents().create(agent("bob"), "hash");
    assertThat(cached.agents().find(AgentId.of("bob"))).isEmpty();

    cached.forget(AgentId.of("bob"));

    assertThat(cached.agents().find(AgentId.of("bob"))).isPresent();
  }

  @Test
  void aChangeNobodyForgotShowsOnceTheEntryIsStale() {
    assertThat(cached.agents().find(AgentId.of("bob"))).isEmpty();
    backing.agents().create(agent("bob"), "hash");

    assertThat(cached.agents().find(AgentId.of("bob"))).isEmpty();
    nanos.addAndGet(CachingStorage.TTL.toNanos() + 1);
    assertThat(cached.agents().find(AgentId.of("bob"))).isPresent();
  }

  @Test
  void messagesHealthAndTokensGoStraightToTheStore() {
    cached.agents().create(agent("carol"), "h1");

    assertThat(cached.messages()).isSameAs(backing.messages());
    assertThat(cached.agents().findByTokenHash("h1")).isPresent();
    assertThat(cached.agents().replaceToken(AgentId.of("carol"), "h2", Optional.empty())).isTrue();
    assertThat(cached.agents().findByTokenHash("h2")).isPresent();
    assertThat(cached.health().backend()).isEqualTo(backing.health().backend());
  }
}
