package dev.mailroom.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.client.Priority;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgsTest {
  private static final Args ARGS =
      new Args(
          Map.of(
              "n",
              2.0,
              "half",
              2.5,
              "blank",
              " ",
              "p",
              "HIGH",
              "tags",
              List.of("a", "b"),
              "mixed",
              List.of("a", 1)));

  @Test
  void readsValuesOfTheRightShape() {
    assertThat(ARGS.integer("n", 1, 5)).contains(2);
    assertThat(ARGS.integer("absent", 1, 5)).isEmpty();
    assertThat(ARGS.choice("p", Priority.class)).contains(Priority.HIGH);
    assertThat(ARGS.strings("tags")).containsExactly("a", "b");
    assertThat(ARGS.flag("absent")).isFalse();
    assertThat(ARGS.given(List.of("n", "absent", "p"))).containsExactly("n", "p");
  }

  @Test
  void namesTheArgumentAndTheProblem() {
    assertThatThrownBy(() -> ARGS.integer("half", 1, 5))
        .hasMessage("argument 'half' must be a whole number");
    assertThatThrownBy(() -> ARGS.integer("n", 3, 5))
        .hasMessage("argument 'n' must be between 3 and 5, not 2.0");
    assertThatThrownBy(() -> ARGS.string("blank")).hasMessage("argument 'blank' must not be blank");
    assertThatThrownBy(() -> ARGS.requiredString("absent"))
        .hasMessage("argument 'absent' is required");
    assertThatThrownBy(() -> ARGS.choice("blank", Priority.class))
        .hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> new Args(Map.of("p", "highest")).choice("p", Priority.class))
        .hasMessage("argument 'p' must be one of low, normal, high, urgent, not 'highest'");
    assertThatThrownBy(() -> ARGS.strings("mixed")).hasMessageContaining("'mixed'");
    assertThatThrownBy(() -> ARGS.requireOneOf("n", "half"))
        .hasMessage("give exactly one of the arguments 'n' and 'half'");
  }
}
