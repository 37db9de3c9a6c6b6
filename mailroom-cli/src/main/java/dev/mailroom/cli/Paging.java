package dev.mailroom.cli;

import dev.mailroom.client.PageRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The paging options of a listing without filters: {@code --limit}, {@code --cursor}, {@code
 * --all}.
 */
final class Paging {
  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Per page (1-1000; the server's default is 50).")
  @Nullable Integer limit;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue from a page's cursor.")
  @Nullable String cursor;

  @Option(names = "--all", description = "Fetch every page (from --cursor, if given).")
  boolean all;

  /** The page asked for (the first of them with {@code --all}). */
  PageRequest page() {
    PageRequest first = limit == null ? PageRequest.first() : PageRequest.of(limit);
    return cursor == null ? first : first.withCursor(cursor);
  }

  /** Whether any paging option was given. */
  boolean given() {
    return limit != null || cursor != null || all;
  }

  /** Tells, on standard error, how to fetch the next page, if there is one. */
  static void more(Optional<String> nextCursor, Terminal terminal) {
    nextCursor.ifPresent(c -> terminal.err().println("more: --cursor " + c));
  }

  /**
   * A listing as a command prints it.
   *
   * @param what what the items are, for the count on standard error
   * @param page fetches one page
   * @param pages fetches every page from the one given, as iterated
   * @param items the items of a page
   * @param next the cursor of the page after a page, if there is one
   * @param header the table's header
   * @param row an item's row of the table
   */
  record Listing<P, T>(
      String what,
      Function<PageRequest, P> page,
      Function<PageRequest, Iterator<P>> pages,
      Function<P, List<T>> items,
      Function<P, Optional<String>> next,
      List<String> header,
      Function<T, List<String>> row) {}

  /**
   * Prints {@code listing}: with {@code --all} every page, as one table or one item per line of
   * JSON, counting on standard error as it goes; otherwise the page asked for, as a table (and on
   * standard error how to fetch the next) or as the page's JSON.
   */
  <P, T> ExitCode print(Listing<P, T> listing, Terminal terminal, Output out) {
    if (all) {
      List<List<String>> rows = new ArrayList<>();
      Progress.walk(
          terminal,
          listing.what(),
          listing.pages().apply(page()),
          listing.items(),
          item -> {
            if (out.json()) {
              out.json(item);
            } else {
              rows.add(listing.row().apply(item));
            }
          });
      if (!out.json()) {
        out.table(listing.header(), rows);
      }
      return ExitCode.OK;
    }
    P page = listing.page().apply(page());
    if (out.json()) {
      out.json(page);
      return ExitCode.OK;
    }
    out.table(listing.header(), listing.items().apply(page).stream().map(listing.row()).toList());
    more(listing.next().apply(page), terminal);
    return ExitCode.OK;
  }
}
