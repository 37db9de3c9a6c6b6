package dev.mailroom.core.reservation;

import dev.mailroom.core.MailroomException;
import java.util.ArrayList;
import java.util.List;

/**
 * A path glob or a plain name within a project, normalised: segments separated by {@code /}, none
 * empty, none {@code .} or {@code ..}, no leading {@code /} (a trailing one is dropped). Within a
 * segment {@code *} matches any run of characters and {@code ?} one character; a segment that is
 * exactly {@code **} matches zero or more whole segments (so {@code src/**} covers {@code src}
 * itself and everything under it). A name without wildcards is a glob that matches only itself.
 *
 * @param value the normalised text
 */
public record PathPattern(String value) {
  /** The longest pattern, in characters. */
  public static final int MAX_LENGTH = 512;

  /** The most segments a pattern has. */
  public static final int MAX_SEGMENTS = 64;

  public PathPattern {
    value = normalise(value);
  }

  /**
   * Parses and normalises a pattern.
   *
   * @throws MailroomException.InvalidRequest on {@code field} saying which rule it breaks
   */
  public static PathPattern of(String field, String text) {
    try {
      return new PathPattern(text);
    } catch (IllegalArgumentException e) {
      throw MailroomException.InvalidRequest.field(field, e.getMessage());
    }
  }

  /** Whether it has no wildcard: it names exactly one path. */
  public boolean isLiteral() {
    return value.indexOf('*') < 0 && value.indexOf('?') < 0;
  }

  /** Whether the concrete path {@code path} (its characters taken literally) matches it. */
  public boolean matches(String path) {
    return GlobOverlap.overlap(segments(value, false), segments(normalise(path), true));
  }

  /** Whether some path matches both this and {@code other}. */
  public boolean overlaps(PathPattern other) {
    return GlobOverlap.overlap(segments(value, false), segments(other.value, false));
  }

  @Override
  public String toString() {
    return value;
  }

  private static List<int[]> segments(String normalised, boolean literal) {
    List<int[]> out = new ArrayList<>();
    for (String s : normalised.split("/", -1)) {
      out.add(GlobOverlap.segment(s, literal));
    }
    return out;
  }

  private static String normalise(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("must be at most " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\\') {
        throw new IllegalArgumentException(
            "must hold no control characters and no '\\' (separate segments with '/')");
      }
    }
    if (text.startsWith("/")) {
      throw new IllegalArgumentException("must be relative to the project (no leading '/')");
    }
    String t = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    String[] parts = t.split("/", -1);
    if (parts.length > MAX_SEGMENTS) {
      throw new IllegalArgumentException("must have at most " + MAX_SEGMENTS + " segments");
    }
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("must not have empty segments ('//')");
      }
      if (p.equals(".") || p.equals("..")) {
        throw new IllegalArgumentException("must not have '.' or '..' segments");
      }
      if (p.contains("**") && !p.equals("**")) {
        throw new IllegalArgumentException("may use '**' only as a whole segment");
      }
    }
    return t;
  }
}
