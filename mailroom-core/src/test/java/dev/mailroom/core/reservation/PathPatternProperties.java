package dev.mailroom.core.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PathPattern#matches} and {@link PathPattern#overlaps} agree with brute force over a small
 * universe of paths: every path of 1-4 segments of {@code a}, {@code b}, {@code aa}, {@code ab},
 * {@code ba}, {@code bb}. Patterns have at most three segments of at most two symbols, so two that
 * overlap at all share a path of this universe (a witness segment needs at most the two literals of
 * the longer segment, a witness path at most the non-{@code **} segments of both patterns).
 */
class PathPatternProperties {
  private static final List<String> SEGMENTS = List.of("a", "b", "aa", "ab", "ba", "bb");
  private static final List<String> UNIVERSE = universe();

  private static List<String> universe() {
    List<String> paths = new ArrayList<>(SEGMENTS);
    List<String> last = SEGMENTS;
    for (int depth = 2; depth <= 4; depth++) {
      List<String> next = new ArrayList<>();
      for (String prefix : last) {
        for (String s : SEGMENTS) {
          next.add(prefix + "/" + s);
        }
      }
      paths.addAll(next);
      last = next;
    }
    return List.copyOf(paths);
  }

  /** The reference: {@code **} takes any number of whole segments; a segment is a regex. */
  static boolean reference(String pattern, String path) {
    return reference(Arrays.asList(pattern.split("/")), Arrays.asList(path.split("/")), 0, 0);
  }

  private static boolean reference(List<String> p, List<String> s, int i, int j) {
    if (i == p.size()) {
      return j == s.size();
    }
    if (p.get(i).equals("**")) {
      for (int k = j; k <= s.size(); k++) {
        if (reference(p, s, i + 1, k)) {
          return true;
        }
      }
      return false;
    }
    return j < s.size()
        && segmentRegex(p.get(i)).matcher(s.get(j)).matches()
        && reference(p, s, i + 1, j + 1);
  }

  private static Pattern segmentRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.of("a", "b", "ab", "*", "?", "a*", "*b", "?a", "b?", "**", "*a", "??")
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(segments -> String.join("/", segments));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(UNIVERSE);
  }

  @Property(tries = 2000)
  void matchesAgreesWithTheReference(
      @ForAll("patterns") String pattern, @ForAll("paths") String path) {
    assertThat(new PathPattern(pattern).matches(path))
        .as("%s matches %s", pattern, path)
        .isEqualTo(reference(pattern, path));
  }

  @Property(tries = 1000)
  void overlapsAgreesWithBruteForceOverTheUniverse(
      @ForAll("patterns") String a, @ForAll("patterns") String b) {
    boolean expected = UNIVERSE.stream().anyMatch(path -> reference(a, path) && reference(b, path));

    assertThat(new PathPattern(a).overlaps(new PathPattern(b)))
        .as("%s overlaps %s", a, b)
        .isEqualTo(expected);
    assertThat(new PathPattern(b).overlaps(new PathPattern(a))).isEqualTo(expected);
  }

  @Property(tries = 300)
  void aPatternOverlapsEveryPathItMatchesTakenAsAName(
      @ForAll("patterns") String pattern, @ForAll("paths") String path) {
    if (reference(pattern, path)) {
      assertThat(new PathPattern(pattern).overlaps(new PathPattern(path))).isTrue();
    }
  }
}
