package dev.mailroom.cli;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Priority;
import dev.mailroom.protocol.SearchResult;
import dev.mailroom.protocol.SearchResults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
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

  @Option(names = "--unread", description = "Only unread messages.")
  boolean unread;

  @Option(names = "--read", description = "Only messages already read.")
  boolean read;

  @Option(names = "--since", paramLabel = "TIME", description = "Sent at or after (ISO-8601).")
  @Nullable Instant since;

  @Option(names = "--until", paramLabel = "TIME", description = "Sent at or before (ISO-8601).")
  @Nullable Instant until;

  @Option(names = "--after", paramLabel = "ID", description = "With an id after this one.")
  @Nullable String after;

  @Option(names = "--before", paramLabel = "ID", description = "With an id before this one.")
  @Nullable String before;

  @Option(names = "--from", paramLabel = "AGENT", description = "Sent by this agent.")
  @Nullable String from;

  @Option(names = "--min-priority", paramLabel = "P", description = "low, normal, high, urgent.")
  @Nullable Priority minPriority;

  @Option(names = "--type", paramLabel = "TYPE", description = "Of this content type.")
  @Nullable String contentType;

  @Option(names = "--thread", paramLabel = "THREAD", description = "Of this thread.")
  @Nullable String thread;

  @Option(names = "--tag", paramLabel = "TAG", description = "Carrying this tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(
      names = "--max-age",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Sent within this long: 90s, 10m, 2h, 7d.")
  @Nullable Duration maxAge;

  @Option(names = "--limit", paramLabel = "N", description = "Results per page (1-1000).")
  @Nullable Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue from a page's cursor.")
  @Nullable String cursor;

  @Option(names = "--all", description = "Fetch every page.")
  boolean all;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    ListQuery filters = filters();
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

  private ListQuery filters() {
    ListQuery.Builder b = ListQuery.builder();
    if (unread || read) {
      b.unread(unread);
    }
    Optional.ofNullable(since).ifPresent(b::since);
    Optional.ofNullable(until).ifPresent(b::until);
    Optional.ofNullable(after).ifPresent(b::afterId);
    Optional.ofNullable(before).ifPresent(b::beforeId);
    Optional.ofNullable(from).ifPresent(b::sender);
    Optional.ofNullable(thread).ifPresent(b::threadId);
    Optional.ofNullable(minPriority).ifPresent(b::minPriority);
    Optional.ofNullable(contentType).ifPresent(b::contentType);
    tags.forEach(b::tag);
    Optional.ofNullable(maxAge).ifPresent(b::maxAge);
    Optional.ofNullable(limit).ifPresent(b::limit);
    Optional.ofNullable(cursor).ifPresent(b::cursor);
    return b.build();
  }
}
