package dev.mailroom.core.topic;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import java.util.List;

/**
 * A subscription pattern: 1–256 characters; 1–16 segments joined by {@code .}, each segment either
 * a literal of {@code A-Z a-z 0-9 _ -}, {@code *} (exactly one name segment) or {@code **} (one or
 * more name segments, wherever it stands). A wildcard mixed with other characters in a segment
 * ({@code gpt*}) is invalid.
 *
 * <p>Immutable and thread-safe. {@link #matches(MailboxName)} is the plain, one-pattern matcher; to
 * match a name against many patterns use a {@link TopicIndex}.
 *
 * @throws MailroomException.InvalidRequest from the constructor and {@link #of(String)}, on field
 *     {@code pattern}, naming the refused pattern
 */
public record SubscriptionPattern(String value) {
  static final String ONE = "*";
  static final String MANY = "**";

  private static final int MAX_LENGTH = 256;
  private static final int MAX_SEGMENTS = 16;
  private static final String RULE =
      "is not a valid pattern (1-256 characters, 1-16 segments joined by '.', each segment"
          + " either A-Z a-z 0-9 _ - or a whole '*' or '**')";

  public SubscriptionPattern {
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw invalid(value);
    }
    int segments = 0;
    int start = 0;
    while (start <= value.length()) {
      int end = segmentEnd(value, start);
      if (!validSegment(value, start, end) || ++segments > MAX_SEGMENTS) {
        throw invalid(value);
      }
      start = end + 1;
    }
  }

  /**
   * Parses a pattern.
   *
   * @throws MailroomException.InvalidRequest if {@code value} breaks the rules above
   */
  public static SubscriptionPattern of(String value) {
    return new SubscriptionPattern(value);
  }

  /** The dot-separated segments, in order, wildcards included. */
  public List<String> segments() {
    return List.of(value.split("\\.", -1));
  }

  /** Whether the pattern has a {@code *} or {@code **} segment. */
  public boolean hasWildcard() {
    return value.indexOf('*') >= 0;
  }

  /**
   * Whether {@code name} matches this pattern. A direct walk of both strings, without allocation;
   * fine for one pattern, linear in the number of patterns if used to scan many.
   */
  public boolean matches(MailboxName name) {
    return matchFrom(value, 0, name.value(), 0);
  }

  private static boolean matchFrom(String p, int ps, String n, int ns) {
    // A position one past the end of its string means "all segments consumed".
    boolean patternDone = ps > p.length();
    boolean nameDone = ns > n.length();
    if (patternDone || nameDone) {
      return patternDone && nameDone;
    }
    int pe = segmentEnd(p, ps);
    int ne = segmentEnd(n, ns);
    if (isMany(p, ps, pe)) {
      // Consume one name segment, then try every longer run of segments too.
      for (int end = ne; ; end = segmentEnd(n, end + 1)) {
        if (matchFrom(p, pe + 1, n, end + 1)) {
          return true;
        }
        if (end == n.length()) {
          return false;
        }
      }
    }
    boolean one = pe - ps == 1 && p.charAt(ps) == '*';
    boolean same = pe - ps == ne - ns && p.regionMatches(ps, n, ns, pe - ps);
    return (one || same) && matchFrom(p, pe + 1, n, ne + 1);
  }

  private static boolean isMany(String p, int start, int end) {
    return end - start == 2 && p.charAt(start) == '*' && p.charAt(start + 1) == '*';
  }

  private static int segmentEnd(String s, int start) {
    int dot = s.indexOf('.', start);
    return dot < 0 ? s.length() : dot;
  }

  private static boolean validSegment(String s, int start, int end) {
    if (end == start) {
      return false;
    }
    if (s.charAt(start) == '*') {
      return end - start == 1 || isMany(s, start, end);
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static MailroomException.InvalidRequest invalid(String value) {
    String shown = value.length() <= 80 ? value : value.substring(0, 77) + "...";
    return MailroomException.InvalidRequest.field("pattern", "'" + shown + "' " + RULE);
  }

  @Override
  public String toString() {
    return value;
  }
}
