package dev.mailroom.core.search;

import java.util.List;

/**
 * A short extract of a message's body around the first term a query matches, with every matched
 * term between {@link #OPEN} and {@link #CLOSE}. The extract is the sender's text: whoever shows it
 * treats it as untrusted, markers included (a body may contain them itself).
 */
public final class Snippets {
  public static final String OPEN = "<<";
  public static final String CLOSE = ">>";

  /** Marks text cut off before or after the extract. */
  public static final String ELLIPSIS = "…";

  /** About how many chars of the body a snippet holds. */
  public static final int LENGTH = 200;

  /** How many chars before the first match a snippet starts, about. */
  private static final int LEAD = 60;

  private Snippets() {}

  /**
   * The snippet of {@code body} for {@code query}: about {@link #LENGTH} chars starting a little
   * before the first matched term (the start of the body when no term of it matches), matched terms
   * marked.
   */
  public static String of(String body, SearchQuery query) {
    List<SearchTokenizer.Token> tokens = SearchTokenizer.tokens(body);
    int first = -1;
    for (SearchTokenizer.Token t : tokens) {
      if (query.highlights(t.term())) {
        first = t.start();
        break;
      }
    }
    int start = 0;
    if (first > LEAD) {
      start = first - LEAD;
      // Start at a term's beginning rather than in its middle.
      for (SearchTokenizer.Token t : tokens) {
        if (t.start() >= start) {
          start = t.start();
          break;
        }
      }
    }
    int end = Math.min(body.length(), start + LENGTH);
    for (SearchTokenizer.Token t : tokens) {
      if (t.start() < end && t.end() > end) {
        end = t.end() <= start + LENGTH + 40 ? t.end() : t.start();
        break;
      }
    }
    if (end > 0 && end < body.length() && Character.isHighSurrogate(body.charAt(end - 1))) {
      end++; // never split a surrogate pair
    }
    StringBuilder b = new StringBuilder(end - start + 16);
    if (start > 0) {
      b.append(ELLIPSIS);
    }
    int at = start;
    for (SearchTokenizer.Token t : tokens) {
      if (t.start() < start || t.end() > end) {
        continue;
      }
      if (query.highlights(t.term())) {
        b.append(body, at, t.start()).append(OPEN).append(body, t.start(), t.end()).append(CLOSE);
        at = t.end();
      }
    }
    b.append(body, at, end);
    if (end < body.length()) {
      b.append(ELLIPSIS);
    }
    return b.toString().strip();
  }
}
