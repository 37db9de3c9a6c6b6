package dev.mailroom.core.search;

import dev.mailroom.core.MailroomException;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed full-text query: phrases that must all match (AND). The language: a bare word is a
 * phrase of its terms ({@code don't} is the phrase {@code don t}); {@code "quoted words"} is a
 * phrase; a {@code *} right after a word or a closing quote makes its last term a prefix ({@code
 * deploy*}, {@code "build fail"*}). Terms are those of {@link SearchTokenizer}, so matching is
 * case- and diacritic-insensitive. There is no OR and no negation: other characters only separate
 * terms.
 *
 * @param phrases every one must match, at least one
 */
public record SearchQuery(List<Phrase> phrases) {
  /** The longest query text accepted, in chars. */
  public static final int MAX_LENGTH = 1000;

  /** The most phrases (words and quoted phrases) in one query. */
  public static final int MAX_PHRASES = 16;

  /** The shortest prefix term, in chars: shorter ones match too much to be useful. */
  public static final int MIN_PREFIX = 2;

  private static final String FIELD = "q";

  public SearchQuery {
    phrases = List.copyOf(phrases);
    if (phrases.isEmpty()) {
      throw new IllegalArgumentException("a query has at least one phrase");
    }
  }

  /**
   * Consecutive terms that must appear in this order.
   *
   * @param terms the terms, at least one
   * @param prefix whether the last term matches every term it starts
   */
  public record Phrase(List<String> terms, boolean prefix) {
    public Phrase {
      terms = List.copyOf(terms);
      if (terms.isEmpty()) {
        throw new IllegalArgumentException("a phrase has at least one term");
      }
    }

    /** Whether {@code term} matches the phrase's term at {@code index}. */
    public boolean matches(int index, String term) {
      String want = terms.get(index);
      return prefix && index == terms.size() - 1 ? term.startsWith(want) : term.equals(want);
    }

    /** How many times the phrase occurs in a document's terms. */
    public int occurrences(List<String> document) {
      int count = 0;
      int k = terms.size();
      for (int p = 0; p + k <= document.size(); p++) {
        int i = 0;
        while (i < k && matches(i, document.get(p + i))) {
          i++;
        }
        if (i == k) {
          count++;
        }
      }
      return count;
    }

    /** Whether {@code term} is, or for a prefix phrase starts with, one of the phrase's terms. */
    public boolean highlights(String term) {
      for (int i = 0; i < terms.size(); i++) {
        if (matches(i, term)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Parses query text.
   *
   * @throws MailroomException.InvalidRequest naming {@code q} if it is empty, too long, has an
   *     unclosed quote, too many phrases, a prefix shorter than {@link #MIN_PREFIX} or no term
   */
  public static SearchQuery parse(String text) {
    if (text.length() > MAX_LENGTH) {
      throw invalid("must be at most " + MAX_LENGTH + " characters");
    }
    List<Phrase> phrases = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      String words;
      if (c == '"') {
        int close = text.indexOf('"', i + 1);
        if (close < 0) {
          throw invalid("has a quote that is not closed");
        }
        words = text.substring(i + 1, close);
        i = close + 1;
      } else {
        int end = i;
        while (end < n
            && !Character.isWhitespace(text.charAt(end))
            && text.charAt(end) != '"'
            && text.charAt(end) != '*') {
          end++;
        }
        words = text.substring(i, end);
        i = end;
      }
      boolean prefix = i < n && text.charAt(i) == '*';
      while (i < n && text.charAt(i) == '*') {
        i++;
      }
      List<String> terms = SearchTokenizer.terms(words);
      if (terms.isEmpty()) {
        continue; // punctuation only, or a lone *
      }
      if (prefix && terms.getLast().length() < MIN_PREFIX) {
        throw invalid(
            "prefix '" + terms.getLast() + "*' is shorter than " + MIN_PREFIX + " characters");
      }
      phrases.add(new Phrase(terms, prefix));
      if (phrases.size() > MAX_PHRASES) {
        throw invalid("has more than " + MAX_PHRASES + " words and phrases");
      }
    }
    if (phrases.isEmpty()) {
      throw invalid("has no word to search for");
    }
    return new SearchQuery(phrases);
  }

  private static MailroomException.InvalidRequest invalid(String message) {
    return MailroomException.InvalidRequest.field(FIELD, message);
  }

  /**
   * The query as an FTS5 match expression over text written by {@link SearchTokenizer}: each phrase
   * quoted (terms are letters and digits only, so they need no escaping), ANDed.
   */
  public String fts5() {
    StringBuilder b = new StringBuilder();
    for (Phrase p : phrases) {
      if (!b.isEmpty()) {
        b.append(" AND ");
      }
      b.append('"').append(String.join(" ", p.terms())).append('"');
      if (p.prefix()) {
        b.append('*');
      }
    }
    return b.toString();
  }

  /** How often each phrase occurs in a document's terms; empty when one does not occur. */
  public int[] occurrences(List<String> document) {
    int[] counts = new int[phrases.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = phrases.get(i).occurrences(document);
      if (counts[i] == 0) {
        return new int[0];
      }
    }
    return counts;
  }

  /** Whether a term of a document is to be highlighted in a snippet. */
  public boolean highlights(String term) {
    for (Phrase p : phrases) {
      if (p.highlights(term)) {
        return true;
      }
    }
    return false;
  }
}
