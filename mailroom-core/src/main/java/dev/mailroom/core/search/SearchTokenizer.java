package dev.mailroom.core.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into search terms, the one tokenizer of full-text search: the SQLite index is fed its
 * output (so FTS5 only splits on the spaces between terms), the in-memory and Redis indexes use it
 * directly, and snippets use its offsets. Rules, close to FTS5's {@code unicode61 remove_diacritics
 * 2}: a term is a maximal run of Unicode letters, digits and combining marks; it is lowercased
 * (root locale), decomposed (NFD) and stripped of its combining marks, so {@code Éclair} and {@code
 * eclair} are the same term. Terms longer than {@link #MAX_TERM} chars are cut there. Stateless and
 * thread-safe.
 */
public final class SearchTokenizer {
  /** The longest term kept, in chars; a longer run of letters is cut (and matches by its start). */
  public static final int MAX_TERM = 64;

  private SearchTokenizer() {}

  /**
   * A term and where it was found.
   *
   * @param term the normalized term
   * @param start the index of its first char in the text
   * @param end the index after its last char in the text
   */
  public record Token(String term, int start, int end) {}

  /** The terms of {@code text}, in order. */
  public static List<String> terms(String text) {
    List<String> terms = new ArrayList<>();
    for (Token t : tokens(text)) {
      terms.add(t.term());
    }
    return terms;
  }

  /** The terms of {@code text} with their offsets, in order. */
  public static List<Token> tokens(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      if (!isTermChar(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      while (i < n) {
        int c = text.codePointAt(i);
        if (!isTermChar(c)) {
          break;
        }
        i += Character.charCount(c);
      }
      String term = normalize(text.substring(start, i));
      if (!term.isEmpty()) {
        tokens.add(new Token(term, start, i));
      }
    }
    return tokens;
  }

  /** One run of term chars as a term: lowercased, without diacritics, at most MAX_TERM long. */
  static String normalize(String run) {
    String lower = run.toLowerCase(Locale.ROOT);
    String decomposed = Normalizer.normalize(lower, Normalizer.Form.NFD);
    StringBuilder b = new StringBuilder(decomposed.length());
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      if (isMark(cp)) {
        continue;
      }
      if (b.length() + Character.charCount(cp) > MAX_TERM) {
        break;
      }
      b.appendCodePoint(cp);
    }
    return b.toString();
  }

  private static boolean isTermChar(int cp) {
    return Character.isLetterOrDigit(cp) || isMark(cp);
  }

  private static boolean isMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }
}
