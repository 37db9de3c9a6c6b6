package dev.mailroom.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RelevanceTest {
  @Test
  void theCeilingReadFromOneMatchIsTheCeilingForOnePhrase() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      long documents = 1 + r.nextLong(2_000_000);
      long matching = 1 + r.nextLong(documents);
      long totalTerms = documents * (1 + r.nextInt(60));
      int length = 1 + r.nextInt(200);
      int[] occurrences = {1 + r.nextInt(length)};
      double bm25 =
          Relevance.bm25(documents, totalTerms, length, occurrences, new long[] {matching});
      double ceiling = Relevance.ceiling(documents, totalTerms, new long[] {matching});
      assertThat(Relevance.ceilingFrom(bm25, documents, totalTerms, length, occurrences))
          .isCloseTo(ceiling, Offset.offset(ceiling * 1e-12));
    }
  }

  @Test
  void theCeilingReadFromOneMatchBoundsTheCeilingForSeveralPhrases() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 10_000; i++) {
      long documents = 1 + r.nextLong(2_000_000);
      int phrases = 2 + r.nextInt(3);
      long[] matching = new long[phrases];
      int length = phrases + r.nextInt(200);
      int[] occurrences = new int[phrases];
      for (int p = 0; p < phrases; p++) {
        matching[p] = 1 + r.nextLong(documents);
        occurrences[p] = 1 + r.nextInt(1 + length / phrases);
      }
      long totalTerms = documents * (1 + r.nextInt(60));
      double bm25 = Relevance.bm25(documents, totalTerms, length, occurrences, matching);
      double ceiling = Relevance.ceiling(documents, totalTerms, matching);
      assertThat(Relevance.ceilingFrom(bm25, documents, totalTerms, length, occurrences))
          .isGreaterThanOrEqualTo(ceiling * (1 - 1e-12));
    }
  }

  @Test
  void noDocumentIsMoreRelevantThanTheCeiling() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      long documents = 1 + r.nextLong(2_000_000);
      int phrases = 1 + r.nextInt(3);
      long[] matching = new long[phrases];
      int length = phrases + r.nextInt(r.nextBoolean() ? 50 : 5_000);
      int[] occurrences = new int[phrases];
      for (int p = 0; p < phrases; p++) {
        matching[p] = 1 + r.nextLong(documents);
        occurrences[p] = 1 + r.nextInt(length / phrases);
      }
      long totalTerms = documents * (1 + r.nextInt(60));
      assertThat(Relevance.bm25(documents, totalTerms, length, occurrences, matching))
          .isLessThan(Relevance.ceiling(documents, totalTerms, matching));
    }
    // A document that is the word alone, very long: the bound is approached, never passed.
    double ceiling = Relevance.ceiling(100, 2_000, new long[] {10});
    double alone = Relevance.bm25(100, 2_000, 1_000_000, new int[] {1_000_000}, new long[] {10});
    assertThat(alone).isLessThan(ceiling).isGreaterThan(ceiling * 0.999);
  }

  @Test
  void aPhraseInHalfTheDocumentsOrMoreHasTheFloorIdf() {
    assertThat(Relevance.idf(100, 50)).isEqualTo(1e-6);
    assertThat(Relevance.idf(100, 100)).isEqualTo(1e-6);
    assertThat(Relevance.idf(100, 49)).isGreaterThan(1e-6);
  }
}
