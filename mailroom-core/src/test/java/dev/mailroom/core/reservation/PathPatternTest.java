package dev.mailroom.core.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternTest {

  @Test
  void aTrailingSlashIsDroppedAndWildcardsAreKept() {
    assertThat(new PathPattern("src/main/").value()).isEqualTo("src/main");
    assertThat(new PathPattern("src/**/*.java").isLiteral()).isFalse();
    assertThat(new PathPattern("README.md").isLiteral()).isTrue();
  }

  @Test
  void badPatternsAreRefusedNamingTheField() {
    for (String bad :
        List.of(
            "",
            "/etc/passwd",
            "a//b",
            "../x",
            "a/./b",
            "a/**b",
            "a\\b",
            "a\u0000b",
            "x".repeat(513))) {
      assertThatThrownBy(() -> PathPattern.of("paths[0]", bad))
          .as(bad)
          .isInstanceOfSatisfying(
              MailroomException.InvalidRequest.class,
              e ->
                  assertThat(e.errors())
                      .singleElement()
                      .matches(f -> f.field().equals("paths[0]")));
    }
  }

  @Test
  void doubleStarCoversADirectoryAndEverythingUnderIt() {
    PathPattern src = new PathPattern("src/**");

    assertThat(src.matches("src")).isTrue();
    assertThat(src.matches("src/a/b/C.java")).isTrue();
    assertThat(src.matches("srcx/a")).isFalse();
    assertThat(new PathPattern("**/*.md").matches("docs/API.md")).isTrue();
    assertThat(new PathPattern("*.md").matches("docs/API.md")).isFalse();
  }

  @Test
  void aPathIsTakenLiterallyWhenMatched() {
    assertThat(new PathPattern("a?c").matches("a*c")).isTrue();
    assertThat(new PathPattern("abc").matches("a?c")).isFalse();
  }

  @Test
  void onlyDifferentHoldersOfTheSameProjectWithAnExclusiveOneConflict() {
    Reservation alice = reservation("alice", "p", Reservation.Mode.EXCLUSIVE, "src/**");

    assertThat(alice.conflictsWith(reservation("bob", "p", Reservation.Mode.SHARED, "src/x")))
        .isTrue();
    assertThat(alice.conflictsWith(reservation("bob", "q", Reservation.Mode.SHARED, "src/x")))
        .isFalse();
    assertThat(alice.conflictsWith(reservation("alice", "p", Reservation.Mode.SHARED, "src/x")))
        .isFalse();
    assertThat(alice.conflictsWith(reservation("bob", "p", Reservation.Mode.SHARED, "docs/x")))
        .isFalse();
    assertThat(
            reservation("bob", "p", Reservation.Mode.SHARED, "x")
                .conflictsWith(reservation("carol", "p", Reservation.Mode.SHARED, "x")))
        .isFalse();
  }

  private static Reservation reservation(
      String holder, String project, Reservation.Mode mode, String... patterns) {
    return new Reservation(
        "res_" + holder,
        ProjectName.of(project),
        AgentId.of(holder),
        List.of(patterns).stream().map(PathPattern::new).toList(),
        mode,
        "",
        Instant.EPOCH,
        Instant.EPOCH.plusSeconds(60));
  }
}
