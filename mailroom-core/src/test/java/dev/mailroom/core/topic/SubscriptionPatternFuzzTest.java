package dev.mailroom.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldError;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Coverage-guided fuzzing of the name parsers: {@link SubscriptionPattern}, {@link MailboxName} and
 * {@link AgentId}. Each text is either a value whose string form parses back to the same value and
 * whose segments keep the rules, or is refused with {@link MailroomException.InvalidRequest} on its
 * one field ({@code pattern}, {@code name}, {@code agent_id}) with a short message that names no
 * Java class; never another exception. The three agree with each other: a pattern without wildcards
 * is exactly a valid name, a name matches itself as a pattern, and an agent id is exactly a
 * one-segment name of at most 64 characters. A pattern matches a name exactly when the plain
 * reference of {@link TopicIndexProperties} says so.
 *
 * <p>The input is a pattern, a newline and a name, as UTF-8.
 *
 * <p>In {@code bin/build verify} the seeds under {@code src/test/resources/.../
 * SubscriptionPatternFuzzTestInputs} run, then 20,000 inputs of fuzzing from a fixed seed. The long
 * run (10 minutes from a random seed; {@code -Djazzer.max_duration=30m} for longer):
 *
 * <pre>
 * bin/build -pl mailroom-core test -Dtest=SubscriptionPatternFuzzTest \
 *   -Pfuzz-long -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SubscriptionPatternFuzzTest {
  private static final int MAX_MESSAGE = 400;
  private static final List<String> INTERNALS =
      List.of("java.", "dev.mailroom", "Exception", "\tat ");

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({".", "*", "**", ".**.", ".*.", "agents", "a-b_c"})
  void namesAndPatternsParseBackToThemselvesOrAreRefusedOnTheirField(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String patternText = newline < 0 ? text : text.substring(0, newline);
    String nameText = newline < 0 ? text : text.substring(newline + 1);

    Optional<SubscriptionPattern> pattern = parse(patternText, "pattern", SubscriptionPattern::of);
    Optional<MailboxName> name = parse(nameText, "name", MailboxName::of);
    Optional<AgentId> agent = parse(nameText, "agent_id", AgentId::of);

    pattern.ifPresent(p -> keepsTheRules(p, patternText));
    if (patternText.indexOf('*') < 0) {
      assertThat(parse(patternText, "name", MailboxName::of).isPresent())
          .as("'%s' is a pattern exactly when it is a name", patternText)
          .isEqualTo(pattern.isPresent());
    }
    name.ifPresent(
        n -> {
          assertThat(MailboxName.of(n.toString())).isEqualTo(n);
          assertThat(String.join(".", n.segments())).isEqualTo(nameText);
          assertThat(SubscriptionPattern.of(n.value()).matches(n)).isTrue();
          assertThat(SubscriptionPattern.of("**").matches(n)).isTrue();
          assertThat(n.isAgentShaped()).isEqualTo(agent.isPresent());
        });
    agent.ifPresent(a -> assertThat(a.mailbox().value()).isEqualTo(nameText));
    if (pattern.isPresent() && name.isPresent()) {
      assertThat(pattern.get().matches(name.get()))
          .as("'%s' matches '%s'", patternText, nameText)
          .isEqualTo(TopicIndexProperties.referenceMatches(pattern.get(), name.get()));
    }
  }

  private static void keepsTheRules(SubscriptionPattern p, String text) {
    assertThat(p.toString()).isEqualTo(text);
    assertThat(SubscriptionPattern.of(p.toString())).isEqualTo(p);
    List<String> segments = p.segments();
    assertThat(segments).hasSizeBetween(1, 16);
    assertThat(String.join(".", segments)).isEqualTo(text);
    assertThat(segments)
        .allMatch(s -> s.equals("*") || s.equals("**") || s.matches("[A-Za-z0-9_-]+"));
    assertThat(p.hasWildcard()).isEqualTo(text.contains("*"));
  }

  /** The parsed value, or empty after checking that the refusal names only {@code field}. */
  private static <T> Optional<T> parse(String text, String field, Function<String, T> parser) {
    try {
      return Optional.of(parser.apply(text));
    } catch (MailroomException.InvalidRequest e) {
      assertThat(e.errors()).extracting(FieldError::field).containsExactly(field);
      for (FieldError error : e.errors()) {
        assertThat(error.message()).isNotBlank().hasSizeLessThanOrEqualTo(MAX_MESSAGE);
        // The refused text is quoted (cut short after 77 characters); only the rest must be clean.
        String shown = text.length() <= 80 ? text : text.substring(0, 77) + "...";
        String rest = error.message().replace("'" + shown + "'", "");
        for (String word : INTERNALS) {
          if (rest.contains(word)) {
            throw new AssertionError("message leaks '" + word + "': " + error.message());
          }
        }
      }
      return Optional.empty();
    }
  }
}
