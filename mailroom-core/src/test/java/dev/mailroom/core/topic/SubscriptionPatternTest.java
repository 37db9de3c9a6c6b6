package dev.mailroom.core.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.ErrorCode;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionPatternTest {

  private static boolean matches(String pattern, String name) {
    return SubscriptionPattern.of(pattern).matches(MailboxName.of(name));
  }

  @Test
  void singleStarMatchesExactlyOneSegment() {
    assertThat(matches("ai.models.*", "ai.models.gpt4")).isTrue();
    assertThat(matches("ai.models.*", "ai.models.gpt4.turbo")).isFalse();
    assertThat(matches("ai.models.*", "ai.models")).isFalse();
  }

  @Test
  void doubleStarMatchesOneOrMoreSegments() {
    assertThat(matches("ai.**", "ai.models")).isTrue();
    assertThat(matches("ai.**", "ai.models.gpt4.turbo")).isTrue();
    assertThat(matches("ai.**", "ai")).isFalse();
  }

  @Test
  void doubleStarInTheMiddleNeedsAtLeastOneSegment() {
    assertThat(matches("a.**.z", "a.b.z")).isTrue();
    assertThat(matches("a.**.z", "a.b.c.z")).isTrue();
    assertThat(matches("a.**.z", "a.z")).isFalse();
  }

  @Test
  void severalDoubleStarsEachTakeTheirOwnSegments() {
    assertThat(matches("a.**.b.**.c", "a.x.b.y.c")).isTrue();
    assertThat(matches("a.**.b.**.c", "a.b.x.b.y.y.c")).isTrue();
    assertThat(matches("a.**.b.**.c", "a.b.b.c")).isFalse();
    assertThat(matches("**.**", "a")).isFalse();
    assertThat(matches("**.**", "a.b.c")).isTrue();
  }

  @Test
  void loneWildcardsMatchEveryNameOrEverySingleSegmentName() {
    assertThat(matches("**", "a")).isTrue();
    assertThat(matches("**", "a.b.c.d")).isTrue();
    assertThat(matches("*", "agent-7")).isTrue();
    assertThat(matches("*", "a.b")).isFalse();
  }

  @Test
  void literalsMatchOnlyThemselves() {
    assertThat(matches("ai.models", "ai.models")).isTrue();
    assertThat(matches("ai.models", "ai.model")).isFalse();
    assertThat(matches("ai.model", "ai.models")).isFalse();
    assertThat(matches("ai", "ai.models")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gpt*", "ai.gpt*", "*a", "***", "a.**b", "a..b", ".a", "a.", "", "a b", "a.$", "é"
      })
  void invalidPatternsAreRefusedNamingThePattern(String pattern) {
    assertThatThrownBy(() -> SubscriptionPattern.of(pattern))
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.errors())
                  .singleElement()
                  .satisfies(
                      f -> {
                        assertThat(f.field()).isEqualTo("pattern");
                        assertThat(f.message()).contains("'" + pattern + "'");
                      });
            });
  }

  @Test
  void patternsDeeperThanSixteenSegmentsAreRefused() {
    String sixteen = "a" + ".*".repeat(15);
    assertThat(SubscriptionPattern.of(sixteen).segments()).hasSize(16);
    assertThatThrownBy(() -> SubscriptionPattern.of(sixteen + ".b"))
        .isInstanceOf(MailroomException.InvalidRequest.class)
        .hasMessageContaining(sixteen + ".b");
  }

  @Test
  void patternsLongerThan256CharactersAreRefused() {
    String longest = "a".repeat(256);
    assertThat(SubscriptionPattern.of(longest).value()).hasSize(256);
    assertThatThrownBy(() -> SubscriptionPattern.of(longest + "a"))
        .isInstanceOf(MailroomException.InvalidRequest.class)
        .hasMessageContaining("pattern");
  }

  @Test
  void validPatternsKeepTheirSegments() {
    assertThat(SubscriptionPattern.of("ai.*.x_y-Z9.**").segments())
        .containsExactly("ai", "*", "x_y-Z9", "**");
    assertThat(SubscriptionPattern.of("ai.*").hasWildcard()).isTrue();
    assertThat(SubscriptionPattern.of("ai.models").hasWildcard()).isFalse();
  }
}
