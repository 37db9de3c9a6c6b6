package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.testkit.InMemoryStorage;
import dev.mailroom.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleMembersTest {
  private static final Role CREW = Role.of("crew");
  private static final Role NIGHT = Role.of("night");
  private static final Role NOBODYS = Role.of("nobodys");

  private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"));
  private final AgentStore agents =
      InMemoryStorage.create(clock, RetentionPolicy.DEFAULTS).agents();

  private void agent(String id, Role... roles) {
    agents.create(new AgentRecord(AgentId.of(id), Set.of(roles), clock.instant()), "h-" + id);
  }

  @Test
  void countsEveryHolderAcrossBatchesAndNamesTheFirstById() {
    for (int i = 9; i >= 1; i--) {
      agent("a" + i, i % 3 == 0 ? NIGHT : CREW, Role.AGENT);
    }

    Map<Role, RoleMembers.Holders> holders =
        RoleMembers.of(agents, List.of(CREW, NIGHT, NOBODYS), 4, 2);

    assertThat(holders.get(CREW))
        .isEqualTo(new RoleMembers.Holders(List.of("a1", "a2", "a4", "a5"), 6));
    assertThat(holders.get(NIGHT)).isEqualTo(new RoleMembers.Holders(List.of("a3", "a6", "a9"), 3));
    assertThat(holders.get(NOBODYS)).isEqualTo(RoleMembers.Holders.NONE);
    assertThat(holders).doesNotContainKey(Role.AGENT);
  }

  @Test
  void aDescriptionNamesTheFirstAndCountsTheRest() {
    assertThat(new RoleMembers.Holders(List.of("a", "b"), 5).describe())
        .isEqualTo("a, b and 3 more");
    assertThat(new RoleMembers.Holders(List.of("a", "b"), 2).describe()).isEqualTo("a, b");
  }
}
