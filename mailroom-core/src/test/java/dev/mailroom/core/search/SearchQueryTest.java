package dev.mailroom.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.MailroomException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokenizer, the query language, its FTS5 form, phrase matching and snippets. */
class SearchQueryTest {
  @Test
  void termsAreLowercasedWithoutDiacriticsAndSplitOnAnythingElse() {
    assertThat(SearchTokenizer.terms("Éclair, CAFÉ-au-lait; naïve_Straße 42x ÅNGSTRÖM"))
        .containsExactly("eclair", "cafe", "au", "lait", "naive", "straße", "42x", "angstrom");
    assertThat(SearchTokenizer.terms("日本語 テキスト")).containsExactly("日本語", "テキスト");
    assertThat(SearchTokenizer.terms("  ...  ")).isEmpty();
    assertThat(SearchTokenizer.terms("a".repeat(100))).containsExactly("a".repeat(64));
    List<SearchTokenizer.Token> tokens = SearchTokenizer.tokens("Hi, Zoë!");
    assertThat(tokens)
        .containsExactly(
            new SearchTokenizer.Token("hi", 0, 2), new SearchTokenizer.Token("zoe", 4, 7));
  }

  @Test
  void wordsPhrasesAndPrefixesParseIntoPhrasesAndAnFts5Expression() {
    SearchQuery q = SearchQuery.parse("Deploy \"build FAILED\" migrat* don't \"x yy\"*");
    assertThat(q.phrases())
        .containsExactly(
            new SearchQuery.Phrase(List.of("deploy"), false),
            new SearchQuery.Phrase(List.of("build", "failed"), false),
            new SearchQuery.Phrase(List.of("migrat"), true),
            new SearchQuery.Phrase(List.of("don", "t"), false),
            new SearchQuery.Phrase(List.of("x", "yy"), true));
    assertThat(q.fts5())
        .isEqualTo("\"deploy\" AND \"build failed\" AND \"migrat\"* AND \"don t\" AND \"x yy\"*");
    assertThat(SearchQuery.parse("-- a --").phrases()).hasSize(1);
  }

  @Test
  void badQueriesAreRefusedNamingQ() {
    for (String bad :
        List.of("", "   ", "!!! ***", "\"open", "a*", "w ".repeat(17), "x".repeat(1001))) {
      assertThatThrownBy(() -> SearchQuery.parse(bad))
          .as("%s", bad)
          .isInstanceOfSatisfying(
              MailroomException.InvalidRequest.class,
              e -> assertThat(e.errors()).allSatisfy(f -> assertThat(f.field()).isEqualTo("q")));
    }
  }

  @Test
  void phrasesCountTheirOccurrencesInOrderAndPrefixesMatchTheStartOfTheLastTerm() {
    List<String> doc = SearchTokenizer.terms("the build failed; build failed again, builder");
    SearchQuery q = SearchQuery.parse("\"build failed\" build*");
    assertThat(q.occurrences(doc)).containsExactly(2, 3);
    assertThat(SearchQuery.parse("\"failed the\"").occurrences(doc)).isEmpty();
    assertThat(SearchQuery.parse("\"failed ag\"*").occurrences(doc)).containsExactly(1);
  }

  @Test
  void snippetsMarkEveryMatchAroundTheFirstAndCutLongBodies() {
    SearchQuery q = SearchQuery.parse("deploy*");
    assertThat(Snippets.of("We Deployed it, then deploy again.", q))
        .isEqualTo("We <<Deployed>> it, then <<deploy>> again.");
    String longBody = "word ".repeat(100) + "deploy here " + "tail ".repeat(100);
    String s = Snippets.of(longBody, q);
    assertThat(s).startsWith("…").endsWith("…").contains("<<deploy>> here");
    assertThat(s.length()).isLessThan(Snippets.LENGTH + 60);
    assertThat(Snippets.of("nothing matches", q)).isEqualTo("nothing matches");
    assertThat(Snippets.of("", q)).isEmpty();
  }

  @Test
  void rankGrowsWithRelevanceAndDoublesEveryHalfLife() {
    var older = dev.mailroom.core.MessageId.of(java.time.Instant.parse("2026-01-01T00:00:00Z"), 1);
    var newer =
        dev.mailroom.core.MessageId.of(
            java.time.Instant.parse("2026-01-01T00:00:00Z").plus(Relevance.HALF_LIFE), 1);
    assertThat(Relevance.rank(2.0, older)).isCloseTo(Relevance.rank(1.0, newer), within(1e-9));
    assertThat(Relevance.bm25(100, 1000, 10, new int[] {2}, new long[] {5}))
        .isGreaterThan(Relevance.bm25(100, 1000, 10, new int[] {1}, new long[] {5}))
        .isGreaterThan(Relevance.bm25(100, 1000, 20, new int[] {1}, new long[] {5}));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
