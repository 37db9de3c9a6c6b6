package dev.mailroom.core.search;

import dev.mailroom.core.MessageId;
import java.time.Duration;

/**
 * How search results are ranked: relevance by BM25, the formula SQLite's FTS5 {@code bm25()}
 * computes (k1 = 1.2, b = 0.75, one column), combined with recency so that a message {@link
 * #HALF_LIFE} newer counts as twice as relevant:
 *
 * <pre>rank = ln(bm25) + ln(2) × created_millis / HALF_LIFE_millis</pre>
 *
 * Higher ranks first, ties by id descending. The rank depends on the message and the index only,
 * not on the time of the query, so a cursor ({@link SearchPosition}) stays valid across pages.
 * Stores without FTS5 compute {@link #bm25} from the same counts FTS5 uses.
 */
public final class Relevance {
  /** How much newer a message must be to count as twice as relevant. */
  public static final Duration HALF_LIFE = Duration.ofDays(7);

  /** The rank added per millisecond of creation time: ln(2) / HALF_LIFE in ms. */
  public static final double PER_MILLI = Math.log(2) / HALF_LIFE.toMillis();

  private static final double K1 = 1.2;
  private static final double B = 0.75;

  /** The IDF FTS5 uses for a phrase in at least half the documents. */
  private static final double MIN_IDF = 1e-6;

  private Relevance() {}

  /**
   * BM25 as FTS5 computes it, positive (FTS5's {@code bm25()} is its negation).
   *
   * @param documents how many documents the index holds
   * @param totalTerms how many terms they hold together
   * @param length how many terms the scored document holds
   * @param occurrences how often each phrase occurs in it
   * @param matching how many documents each phrase occurs in
   */
  public static double bm25(
      long documents, long totalTerms, int length, int[] occurrences, long[] matching) {
    double avg = average(documents, totalTerms);
    double score = 0;
    for (int i = 0; i < occurrences.length; i++) {
      score += idf(documents, matching[i]) * frequencyTerm(occurrences[i], length, avg);
    }
    return score;
  }

  /**
   * The most {@link #bm25} can be for any document of the index, with these counts: a phrase
   * occurring f times in a document of length D (f ≤ D) has a frequency term f(k1 + 1) / (f + k1(1
   * - b + bD/avg)) ≤ (k1 + 1) / (1 + k1·b/avg), however often it occurs. A store that reads hits
   * newest first stops once a hit this relevant could no longer rank among the best.
   *
   * @param documents how many documents the index holds
   * @param totalTerms how many terms they hold together
   * @param matching how many documents each phrase occurs in
   */
  public static double ceiling(long documents, long totalTerms, long[] matching) {
    double sum = 0;
    for (long m : matching) {
      sum += idf(documents, m);
    }
    return sum * mostFrequencyTerm(documents, totalTerms);
  }

  /** The most a frequency term can be (see {@link #ceiling}). */
  private static double mostFrequencyTerm(long documents, long totalTerms) {
    return (K1 + 1) / (1 + K1 * B / average(documents, totalTerms));
  }

  private static double average(long documents, long totalTerms) {
    return documents == 0 ? 1 : (double) totalTerms / documents;
  }

  /**
   * An upper bound of {@link #ceiling} read from one matching document instead of from the phrases'
   * document counts: its {@link #bm25} is the sum of each phrase's IDF times a positive frequency
   * term, so the sum of the IDFs is at most the score divided by the smallest frequency term. For a
   * query of one phrase that is the ceiling itself. A store whose full-text index computes {@link
   * #bm25} itself (FTS5) uses it to skip counting each phrase's documents; this document's length
   * and occurrences must be the ones the index used.
   *
   * @param bm25 the document's relevance as the index computed it (positive)
   * @param documents how many documents the index holds
   * @param totalTerms how many terms they hold together
   * @param length how many terms the document holds
   * @param occurrences how often each phrase occurs in it, each at least once
   */
  public static double ceilingFrom(
      double bm25, long documents, long totalTerms, int length, int[] occurrences) {
    double avg = average(documents, totalTerms);
    double least = K1 + 1;
    for (int f : occurrences) {
      least = Math.min(least, frequencyTerm(f, length, avg));
    }
    return bm25 / least * mostFrequencyTerm(documents, totalTerms);
  }

  /** BM25's share of a phrase occurring {@code f} times in a document, before its IDF. */
  private static double frequencyTerm(double f, int length, double avg) {
    return (f * (K1 + 1)) / (f + K1 * (1 - B + B * length / avg));
  }

  /** FTS5's IDF of a phrase in {@code matching} of {@code documents} documents. */
  static double idf(long documents, long matching) {
    double idf = Math.log((documents - matching + 0.5) / (matching + 0.5));
    return idf <= 0 ? MIN_IDF : idf;
  }

  /** The rank of a message of relevance {@code bm25} (positive). */
  public static double rank(double bm25, MessageId id) {
    return Math.log(bm25) + id.timestamp().toEpochMilli() * PER_MILLI;
  }
}
