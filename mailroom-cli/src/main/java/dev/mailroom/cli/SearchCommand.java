package dev.mailroom.cli;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.SearchResult;
import dev.mailroom.protocol.SearchResults;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom search}: full-text search over the messages the caller may read. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Find the messages you may read that contain every word of QUERY, best match first (newer"
          + " messages rank higher). \"quoted words\" must appear together in that order; word*"
          + " matches words starting with it; case and accents are ignored.",
      "Each result is the message's summary line, then a snippet with the matches between <<"
          + " and >> (other agents' text). --all fetches every page; --json prints one answer"
          + " page per line, or with --all one result per line.",
      "",
      "  mailroom search 'deploy failed'",
      "  mailroom search '\"build 42\" migrat*' --from ci-bot --max-age 7d",
      "  mailroom search outage --mailbox ops.incidents --tag sev1 --all"
    })
final class SearchCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "QUERY", description = "The words to find.")
  String query = "";

  @Option(names = "--mailbox", paramLabel = "NAME", description = "Search only this mailbox.")
  @Nullable String mailbox;

  @Mixin ListingFilters filters;

  @Option(names = "--limit", paramLabel = "N", description = "Results per page (1-1000).")
  @Nullable Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue from a page's cursor.")
  @Nullable String cursor;

  @Option(names = "--all", description = "Fetch every page.")
  boolean all;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    ListQuery filters = query();
    Optional<String> box = Optional.ofNullable(mailbox);
    if (all) {
      Progress.walk(
          terminal(),
          "results",
          client.search().pages(query, box, filters),
          SearchResults::results,
          r -> {
            if (out.json()) {
              out.json(r);
            } else {
              lines(r).forEach(out::line);
            }
          });
      return ExitCode.OK;
    }
    SearchResults page = client.search().page(query, box, filters);
    if (out.json()) {
      out.json(page);
      return ExitCode.OK;
    }
    page.results().forEach(r -> lines(r).forEach(out::line));
    if (page.results().isEmpty()) {
      terminal().err().println("no messages");
    }
    Paging.more(page.nextCursor(), terminal());
    return ExitCode.OK;
  }

  /** A result as printed: the message's summary line, then its snippet on one indented line. */
  static List<String> lines(SearchResult r) {
    return List.of(
        Formats.summary(r.message()), "    " + r.snippet().replaceAll("\\s+", " ").strip());
  }

  private ListQuery query() {
    ListQuery.Builder b = filters.builder();
    Optional.ofNullable(limit).ifPresent(b::limit);
    Optional.ofNullable(cursor).ifPresent(b::cursor);
    return b.build();
  }
}
