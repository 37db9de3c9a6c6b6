package dev.mailroom.core.reservation;

import java.util.List;

/**
 * Decides whether two globs have a path in common, exactly: a dynamic program over segments, and
 * within two segments over characters (each pair of positions visited once, so the cost is the
 * product of the lengths, never exponential). A concrete path is a glob whose characters are all
 * literal. Stateless.
 */
final class GlobOverlap {
  /** A segment that is {@code **}. */
  private static final int[] ANY_SEGMENTS = {};

  private static final int STAR = -1;
  private static final int ONE = -2;

  private GlobOverlap() {}

  /** A segment's symbols: characters, or {@link #STAR} and {@link #ONE} unless {@code literal}. */
  static int[] segment(String s, boolean literal) {
    if (!literal && s.equals("**")) {
      return ANY_SEGMENTS;
    }
    int[] out = new int[s.length()];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out[i] = literal ? c : c == '*' ? STAR : c == '?' ? ONE : c;
    }
    return out;
  }

  static boolean overlap(List<int[]> a, List<int[]> b) {
    // can[i][j]: the rest of a from segment i and the rest of b from j share a path.
    boolean[][] can = new boolean[a.size() + 1][b.size() + 1];
    for (int i = a.size(); i >= 0; i--) {
      for (int j = b.size(); j >= 0; j--) {
        can[i][j] = step(a, b, i, j, can);
      }
    }
    return can[0][0];
  }

  private static boolean step(List<int[]> a, List<int[]> b, int i, int j, boolean[][] can) {
    boolean aEnd = i == a.size();
    boolean bEnd = j == b.size();
    if (aEnd && bEnd) {
      return true;
    }
    boolean aAny = !aEnd && a.get(i) == ANY_SEGMENTS;
    boolean bAny = !bEnd && b.get(j) == ANY_SEGMENTS;
    if (aAny && (can[i + 1][j] || (!bEnd && can[i][j + 1]))) {
      return true; // ** matches nothing, or it takes b's next segment (any segment has a match)
    }
    if (bAny && (can[i][j + 1] || (!aEnd && can[i + 1][j]))) {
      return true;
    }
    if (aEnd || bEnd || aAny || bAny) {
      return false;
    }
    return can[i + 1][j + 1] && segmentsOverlap(a.get(i), b.get(j));
  }

  /** Whether two segment globs match some common non-empty text. */
  static boolean segmentsOverlap(int[] a, int[] b) {
    boolean[][] can = new boolean[a.length + 1][b.length + 1];
    for (int p = a.length; p >= 0; p--) {
      for (int q = b.length; q >= 0; q--) {
        if (p == a.length && q == b.length) {
          can[p][q] = true;
        } else if (p < a.length && a[p] == STAR) {
          can[p][q] = can[p + 1][q] || (q < b.length && can[p][q + 1]);
        } else if (q < b.length && b[q] == STAR) {
          can[p][q] = can[p][q + 1] || (p < a.length && can[p + 1][q]);
        } else {
          can[p][q] =
              p < a.length
                  && q < b.length
                  && (a[p] == ONE || b[q] == ONE || a[p] == b[q])
                  && can[p + 1][q + 1];
        }
      }
    }
    // Two non-empty segment globs that both match the empty text are all stars: they share "x" too.
    return can[0][0];
  }
}
