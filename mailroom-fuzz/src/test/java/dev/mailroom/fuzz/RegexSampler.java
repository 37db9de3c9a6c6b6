package dev.mailroom.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Makes a string that matches a regular expression of the small kind OpenAPI patterns use: anchors,
 * literals and escapes, character classes with ranges, groups with alternatives, and the
 * quantifiers {@code ? * + {n} {m,n}}. Repetitions stay short (an open {@code *} or {@code +} at
 * most three times; a bounded one mostly near its minimum) so that values stay readable; the
 * mutator makes the long ones. Not thread-safe in use: one instance per pattern and thread.
 */
final class RegexSampler {
  private final String re;
  private int at;

  private RegexSampler(String re) {
    this.re = re;
  }

  /**
   * A sample of {@code pattern}.
   *
   * @throws IllegalArgumentException for a construct this sampler does not know
   */
  static String sample(String pattern, RandomGenerator random) {
    RegexSampler s = new RegexSampler(pattern);
    StringBuilder out = new StringBuilder();
    s.alternatives().emit(out, random);
    if (s.at != pattern.length()) {
      throw new IllegalArgumentException("cannot sample " + pattern + " at " + s.at);
    }
    return out.toString();
  }

  private interface Node {
    void emit(StringBuilder out, RandomGenerator random);
  }

  private Node alternatives() {
    List<Node> choices = new ArrayList<>();
    choices.add(sequence());
    while (at < re.length() && re.charAt(at) == '|') {
      at++;
      choices.add(sequence());
    }
    return (out, r) -> choices.get(r.nextInt(choices.size())).emit(out, r);
  }

  private Node sequence() {
    List<Node> parts = new ArrayList<>();
    while (at < re.length() && re.charAt(at) != '|' && re.charAt(at) != ')') {
      Node atom = atom();
      parts.add(quantified(atom));
    }
    return (out, r) -> parts.forEach(p -> p.emit(out, r));
  }

  private Node atom() {
    char c = re.charAt(at++);
    return switch (c) {
      case '^', '$' -> (out, r) -> {};
      case '(' -> {
        if (re.startsWith("?:", at)) {
          at += 2;
        }
        Node inner = alternatives();
        expect(')');
        yield inner;
      }
      case '[' -> charClass();
      case '.' -> (out, r) -> out.append((char) ('a' + r.nextInt(26)));
      case '\\' -> {
        char e = re.charAt(at++);
        yield switch (e) {
          case 'd' -> (out, r) -> out.append((char) ('0' + r.nextInt(10)));
          case 'w' -> (out, r) -> out.append((char) ('a' + r.nextInt(26)));
          default -> (out, r) -> out.append(e);
        };
      }
      default -> (out, r) -> out.append(c);
    };
  }

  private Node charClass() {
    if (at < re.length() && re.charAt(at) == '^') {
      throw new IllegalArgumentException("negated classes are not sampled: " + re);
    }
    StringBuilder members = new StringBuilder();
    while (re.charAt(at) != ']') {
      char c = re.charAt(at++);
      if (c == '\\') {
        c = re.charAt(at++);
      }
      if (re.charAt(at) == '-' && re.charAt(at + 1) != ']') {
        char end = re.charAt(at + 1) == '\\' ? re.charAt(at + 2) : re.charAt(at + 1);
        at += re.charAt(at + 1) == '\\' ? 3 : 2;
        for (char x = c; x <= end; x++) {
          members.append(x);
        }
      } else {
        members.append(c);
      }
    }
    at++;
    String set = members.toString();
    return (out, r) -> out.append(set.charAt(r.nextInt(set.length())));
  }

  private Node quantified(Node atom) {
    if (at >= re.length()) {
      return atom;
    }
    int min;
    int max;
    switch (re.charAt(at)) {
      case '?' -> {
        min = 0;
        max = 1;
        at++;
      }
      case '*' -> {
        min = 0;
        max = 3;
        at++;
      }
      case '+' -> {
        min = 1;
        max = 3;
        at++;
      }
      case '{' -> {
        int close = re.indexOf('}', at);
        String[] bounds = re.substring(at + 1, close).split(",", -1);
        min = Integer.parseInt(bounds[0]);
        max =
            bounds.length == 1 ? min : bounds[1].isEmpty() ? min + 3 : Integer.parseInt(bounds[1]);
        at = close + 1;
      }
      default -> {
        return atom;
      }
    }
    int lo = min;
    int hi = Math.min(max, min + 12); // mostly short; lengths at the limit come from the mutator
    return (out, r) -> {
      int n = r.nextInt(8) == 0 ? max : lo + r.nextInt(hi - lo + 1);
      for (int i = 0; i < n; i++) {
        atom.emit(out, r);
      }
    };
  }

  private void expect(char c) {
    if (at >= re.length() || re.charAt(at) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + at + " in " + re);
    }
    at++;
  }
}
