package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.ThreadList;
import dev.mailroom.protocol.ThreadSummaryView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mailroom threads}: the threads of the caller's mailbox, most recently active first. */
@Command(
    name = "threads",
    mixinStandardHelpOptions = true,
    description = {
      "List the threads in your mailbox, most recently active first: each with how many of its"
          + " messages you may read, how many of those you have not read, who wrote them and"
          + " when the last one came (--limit up to 100 per page).",
      "",
      "  mailroom threads",
      "  mailroom threads --all --json"
    })
final class ThreadsCommand extends ClientCommand {
  @Mixin Paging paging;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    return paging.print(
        new Paging.Listing<ThreadList, ThreadSummaryView>(
            "threads",
            page -> client.threads().list(page),
            first -> client.threads().listPages(first),
            ThreadList::threads,
            ThreadList::nextCursor,
            List.of("THREAD", "MESSAGES", "UNREAD", "LAST ACTIVITY", "LAST FROM", "PARTICIPANTS"),
            ThreadsCommand::row),
        terminal(),
        out);
  }

  private static List<String> row(ThreadSummaryView t) {
    return List.of(
        t.threadId(),
        t.messageCount() + (t.complete() ? "" : "+"),
        Long.toString(t.unreadCount()),
        Formats.time(t.lastActivity()),
        t.lastSender(),
        String.join(",", t.participants()));
  }

  /** A summary as one line. */
  static String describe(ThreadSummaryView t) {
    return t.threadId()
        + ": "
        + t.messageCount()
        + (t.complete() ? "" : "+")
        + " messages, "
        + t.unreadCount()
        + " unread, last "
        + Formats.time(t.lastActivity())
        + " from "
        + t.lastSender()
        + "; participants: "
        + String.join(", ", t.participants());
  }
}
