package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailroom.core.Listing;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageQuery;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of {@link ListingParser}, the query parameters of {@code GET /v1/inbox}
 * and {@code GET /v1/mailboxes/{name}/messages}: a query string becomes a {@link Listing} within
 * the documented bounds, or is refused with field errors, each under a parameter the query named,
 * whose messages name no Java class or library internals.
 *
 * <p>The input is a query string ({@code since=...&tag=a&tag=b}), split and percent-decoded as the
 * HTTP server does.
 *
 * <p>In {@code bin/build verify} the seeds under {@code src/test/resources/.../
 * ListingParserFuzzTestInputs} run, then 20,000 inputs of fuzzing from a fixed seed. The long run
 * (10 minutes from a random seed; {@code -Djazzer.max_duration=30m} for longer):
 *
 * <pre>
 * bin/build -pl mailroom-server -am test -Dtest=ListingParserFuzzTest \
 *   -Pfuzz-long -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class ListingParserFuzzTest {

  @FuzzTest(maxDuration = "5s")
  @DictionaryEntries({
    "since=",
    "until=",
    "after_id=",
    "before_id=",
    "sender=",
    "min_priority=",
    "content_type=",
    "tag=",
    "unread=",
    "max_age_seconds=",
    "limit=",
    "cursor=",
    "order=",
    "&",
    "%",
    "asc",
    "desc",
    "true",
    "false",
    "urgent",
    "text/plain",
    "2026-01-31T12:00:00Z",
    "01JH7ZQ3K5X8M",
    "AWEA"
  })
  void aQueryIsAListingWithinBoundsOrRefusedByParameter(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Map<String, List<String>> query = query(text);
    try {
      Listing listing = ListingParser.parse(query);
      assertThat(listing.limit()).isBetween(1, MessageQuery.MAX_LIMIT);
      MessageFilter f = listing.filter();
      f.since()
          .ifPresent(
              t -> assertThat(t).isBetween(ListingParser.MIN_INSTANT, ListingParser.MAX_INSTANT));
      f.until()
          .ifPresent(
              t -> assertThat(t).isBetween(ListingParser.MIN_INSTANT, ListingParser.MAX_INSTANT));
      listing
          .maxAge()
          .ifPresent(d -> assertThat(d.toSeconds()).isBetween(1L, ListingParser.MAX_AGE_SECONDS));
      assertThat(query.keySet()).isSubsetOf(ListingParser.PARAMETERS);
    } catch (MailroomException.InvalidRequest e) {
      FuzzChecks.refusal(
          e, text + query, f -> query.containsKey(f) || f.equals(QueryParameters.QUERY));
    }
  }

  /**
   * The parameters of a query string as the HTTP server hands them over: split on {@code &} (empty
   * pieces skipped), names and values percent-decoded ({@code =x} is a parameter named ""); a
   * malformed escape stays as it was.
   */
  static Map<String, List<String>> query(String text) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return query;
    }
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue; // as the HTTP server reads "a=1&&b=2"
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
