package dev.mailroom.cli;

import dev.mailroom.client.ListQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Order;
import dev.mailroom.protocol.MessagePage;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mailroom inbox}: list the caller's mailbox, or a mailbox's or topic's history. */
@Command(
    name = "inbox",
    mixinStandardHelpOptions = true,
    description = {
      "List your messages (or --mailbox NAME: a mailbox's or topic's history), oldest first.",
      "Unread messages are marked with *. --all fetches every page (with a progress count on a"
          + " terminal); --json prints one answer page per line, or with --all one message per"
          + " line.",
      "A message this client cannot decode is left out and named on standard error (and in the"
          + " page's skipped list with --json); the others are listed as usual.",
      "",
      "  mailroom inbox --unread --min-priority high",
      "  mailroom inbox --count",
      "  mailroom inbox --wait 30 --after 1M819J5X70000",
      "  mailroom inbox --mailbox ai.models.gpt4 --desc --limit 10"
    })
final class InboxCommand extends ClientCommand {
  @Option(names = "--mailbox", paramLabel = "NAME", description = "A mailbox's or topic's history.")
  @Nullable String mailbox;

  @Option(names = "--count", description = "Print only how many messages are unread.")
  boolean count;

  @Mixin ListingFilters filters;

  @Option(names = "--limit", paramLabel = "N", description = "Messages per page (1-1000).")
  @Nullable Integer limit;

  @Option(names = "--desc", description = "Newest first.")
  boolean desc;

  @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue from a page's cursor.")
  @Nullable String cursor;

  @Option(names = "--all", description = "Fetch every page.")
  boolean all;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "Wait up to this long (max 60) for a first message when there is none.")
  @Nullable Integer waitSeconds;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    if (count) {
      var unreadCount = client.messages().unreadCount();
      out.either(unreadCount, Long.toString(unreadCount.unread()));
      return ExitCode.OK;
    }
    ListQuery query = query();
    if (all) {
      Iterator<MessagePage> pages =
          mailbox == null
              ? client.messages().inboxPages(query)
              : client.messages().historyPages(mailbox, query);
      Progress.walk(
          terminal(),
          "messages",
          pages,
          p -> {
            reportSkipped(p);
            return p.messages();
          },
          m -> {
            if (out.json()) {
              out.json(m);
            } else {
              out.line(Formats.summary(m));
            }
          });
      return ExitCode.OK;
    }
    MessagePage page =
        mailbox != null
            ? client.messages().history(mailbox, query)
            : waitSeconds != null
                ? client.messages().inbox(query, Duration.ofSeconds(waitSeconds))
                : client.messages().inbox(query);
    if (out.json()) {
      out.json(page);
    } else {
      page.messages().forEach(m -> out.line(Formats.summary(m)));
      if (page.messages().isEmpty() && page.skipped().isEmpty()) {
        terminal().err().println("no messages");
      }
    }
    reportSkipped(page);
    if (!out.json()) {
      page.nextCursor().ifPresent(c -> terminal().err().println("more: --cursor " + c));
    }
    return ExitCode.OK;
  }

  /** Says on standard error which messages could not be shown; listing the rest is a success. */
  private void reportSkipped(MessagePage page) {
    page.skipped().forEach(s -> terminal().err().println(Formats.skipped(s)));
    terminal().err().flush();
  }

  private ListQuery query() {
    ListQuery.Builder b = filters.builder();
    Optional.ofNullable(limit).ifPresent(b::limit);
    if (desc) {
      b.order(Order.DESC);
    }
    Optional.ofNullable(cursor).ifPresent(b::cursor);
    return b.build();
  }
}
