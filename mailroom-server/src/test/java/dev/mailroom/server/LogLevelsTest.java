package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLoggerFactory;

/** Names, levels and the hierarchy, on a Logback context of the test's own. */
class LogLevelsTest {
  private final LoggerContext context = new LoggerContext();
  private final LogLevels levels = new LogLevels(context);

  @Test
  void namesAreDottedSegmentsOfBoundedLengthAndRootInAnyCaseIsTheRoot() {
    assertThat(LogLevels.name("dev.mailroom.server")).isEqualTo("dev.mailroom.server");
    assertThat(LogLevels.name("a.Outer$Inner")).isEqualTo("a.Outer$Inner");
    assertThat(LogLevels.name("io.lettuce-core.x_1")).isEqualTo("io.lettuce-core.x_1");
    assertThat(LogLevels.name("root")).isEqualTo("ROOT");
    assertThat(LogLevels.name("rOoT")).isEqualTo("ROOT");
    assertThat(LogLevels.name("x".repeat(200))).hasSize(200);

    for (String bad :
        new String[] {"", ".a", "a.", "a..b", "a b", "a/b", "$a", "a.$b", "é", "x".repeat(201)}) {
      assertThatThrownBy(() -> LogLevels.name(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void levelsAreTheSixNamesInAnyCase() {
    assertThat(LogLevels.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(LogLevels.level("Off")).isEqualTo(Level.OFF);
    assertThat(LogLevels.level("TRACE")).isEqualTo(Level.TRACE);
    for (String bad : new String[] {"ALL", "", "loud", "INFO2", "5"}) {
      assertThatThrownBy(() -> LogLevels.level(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
  }

  @Test
  void aLoggerNotMadeYetInheritsItsNearestAncestorsLevelAndAskingDoesNotMakeIt() {
    context.getLogger("ROOT").setLevel(Level.WARN);
    levels.set("a.b", Optional.of(Level.DEBUG));

    assertThat(levels.state("a.b.c$D.e"))
        .isEqualTo(new LogLevels.State("a.b.c$D.e", Optional.empty(), "DEBUG"));
    assertThat(levels.state("z")).isEqualTo(new LogLevels.State("z", Optional.empty(), "WARN"));
    assertThat(context.exists("a.b.c$D.e")).isNull();
    assertThat(context.exists("z")).isNull();
    assertThat(levels.configured())
        .containsExactly(
            new LogLevels.State("ROOT", Optional.of("WARN"), "WARN"),
            new LogLevels.State("a.b", Optional.of("DEBUG"), "DEBUG"));

    assertThat(levels.set("a.b", Optional.empty()))
        .isEqualTo(new LogLevels.State("a.b", Optional.empty(), "WARN"));
    assertThat(levels.set("never.made", Optional.empty()).effective()).isEqualTo("WARN");
    assertThat(context.exists("never.made")).isNull();
    assertThatThrownBy(() -> levels.set("ROOT", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anotherBindingIsNotSupported() {
    LogLevels other = new LogLevels(new NOPLoggerFactory());

    assertThat(other.supported()).isFalse();
    assertThat(levels.supported()).isTrue();
    assertThatThrownBy(other::configured).isInstanceOf(IllegalStateException.class);
  }
}
