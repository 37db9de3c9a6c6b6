package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The name rules and the other validated identifiers. */
class IdentifiersTest {

  static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  static void assertRefused(Function<String, ?> factory, String value, String field) {
    assertThatThrownBy(() -> factory.apply(value))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
  }

  @Nested
  class AgentIds {
    @ParameterizedTest
    @ValueSource(strings = {"a", "Alice_01", "bot-7", "0", "_", "-"})
    void acceptsLettersDigitsUnderscoreAndDash(String id) {
      assertThat(AgentId.of(id).value()).isEqualTo(id);
    }

    @Test
    void acceptsUpToSixtyFourCharacters() {
      assertThat(AgentId.of(repeat('a', 64)).value()).hasSize(64);
    }

    @Test
    void refusesSixtyFiveCharacters() {
      assertRefused(AgentId::of, repeat('a', 65), "agent_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a.b", "a b", "a/b", "é", "a*", "a\n"})
    void refusesEverythingElse(String id) {
      assertRefused(AgentId::of, id, "agent_id");
    }

    @Test
    void personalMailboxIsNamedByTheId() {
      assertThat(AgentId.of("bob").mailbox()).isEqualTo(MailboxName.of("bob"));
    }

    @Test
    void messageNamesTheOffendingValue() {
      assertThatThrownBy(() -> AgentId.of("no way"))
          .hasMessageContaining("'no way'")
          .hasMessageContaining("1-64");
    }
  }

  @Nested
  class MailboxNames {
    @ParameterizedTest
    @ValueSource(strings = {"a", "team", "ai.models.gpt4", "A-b_c.D-9", "x.y"})
    void acceptsDottedSegments(String name) {
      assertThat(MailboxName.of(name).value()).isEqualTo(name);
    }

    @Test
    void acceptsUpTo256Characters() {
      assertThat(MailboxName.of(repeat('a', 256)).value()).hasSize(256);
    }

    @Test
    void refuses257Characters() {
      assertRefused(MailboxName::of, repeat('a', 257), "name");
    }

    @Test
    void acceptsSixteenSegments() {
      String name = String.join(".", Collections.nCopies(16, "s"));

      assertThat(MailboxName.of(name).segments()).hasSize(16);
    }

    @Test
    void refusesSeventeenSegments() {
      assertRefused(MailboxName::of, String.join(".", Collections.nCopies(17, "s")), "name");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"", ".", "a.", ".a", "a..b", "a.b.", "..", "a. b", "a.*", "ai.**", "a.gpt*"})
    void refusesEmptySegmentsAndWildcards(String name) {
      assertRefused(MailboxName::of, name, "name");
    }

    @Test
    void segmentsSplitOnDots() {
      assertThat(MailboxName.of("ai.models.gpt4").segments())
          .containsExactly("ai", "models", "gpt4");
      assertThat(MailboxName.of("solo").segments()).containsExactly("solo");
    }

    @Test
    void agentShapedMeansOneSegmentOfAtMostSixtyFour() {
      assertThat(MailboxName.of("bob").isAgentShaped()).isTrue();
      assertThat(MailboxName.of(repeat('b', 64)).isAgentShaped()).isTrue();
      assertThat(MailboxName.of(repeat('b', 65)).isAgentShaped()).isFalse();
      assertThat(MailboxName.of("team.bob").isAgentShaped()).isFalse();
    }

    @Test
    void namesSortByText() {
      List<MailboxName> names =
          List.of(MailboxName.of("b"), MailboxName.of("a.z"), MailboxName.of("a"));

      assertThat(names.stream().sorted().map(MailboxName::value)).containsExactly("a", "a.z", "b");
    }
  }

  @Nested
  class Tags {
    @ParameterizedTest
    @ValueSource(strings = {"red", "x:y", "v1.2", "a_b-c", "A"})
    void acceptsLettersDigitsAndPunctuation(String tag) {
      assertThat(Tag.of(tag).value()).isEqualTo(tag);
    }

    @Test
    void lengthIsOneToSixtyFour() {
      assertThat(Tag.of(repeat('t', 64)).value()).hasSize(64);
      assertRefused(Tag::of, repeat('t', 65), "tag");
      assertRefused(Tag::of, "", "tag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a,b", "a/b", "é", "#x"})
    void refusesOtherCharacters(String tag) {
      assertRefused(Tag::of, tag, "tag");
    }
  }

  @Nested
  class ThreadIds {
    @Test
    void lengthIsOneTo128() {
      assertThat(ThreadId.of(repeat('t', 128)).value()).hasSize(128);
      assertRefused(ThreadId::of, repeat('t', 129), "thread_id");
      assertRefused(ThreadId::of, "", "thread_id");
    }

    @Test
    void acceptsAMessageIdAsText() {
      String id = MessageId.of(123_456_789L).toString();

      assertThat(ThreadId.of(id).value()).isEqualTo(id);
    }

    @Test
    void refusesSpaces() {
      assertRefused(ThreadId::of, "a b", "thread_id");
    }
  }

  @Nested
  class Roles {
    @Test
    void wellKnownRolesExist() {
      assertThat(Role.ADMIN.name()).isEqualTo("admin");
      assertThat(Role.AGENT.name()).isEqualTo("agent");
      assertThat(Role.OBSERVER.name()).isEqualTo("observer");
    }

    @Test
    void acceptsLowerCaseDigitsUnderscoreAndDash() {
      assertThat(Role.of("night-shift_2")).isEqualTo(new Role("night-shift_2"));
      assertThat(Role.of(repeat('r', 64)).name()).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Admin", "a b", "a.b"})
    void refusesEverythingElse(String name) {
      assertRefused(Role::of, name, "roles");
    }

    @Test
    void refusesSixtyFiveCharacters() {
      assertRefused(Role::of, repeat('r', 65), "roles");
    }

    @Test
    void adminRoleMakesAnAdminPrincipal() {
      assertThat(new Principal(AgentId.of("root"), Set.of(Role.ADMIN)).isAdmin()).isTrue();
      assertThat(new Principal(AgentId.of("bob"), Set.of(Role.AGENT)).isAdmin()).isFalse();
    }
  }
}
