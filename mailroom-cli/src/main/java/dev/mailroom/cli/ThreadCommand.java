package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Order;
import dev.mailroom.protocol.MessagePage;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.ThreadSummaryView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom thread}: one conversation, wherever its messages were sent. */
@Command(
    name = "thread",
    mixinStandardHelpOptions = true,
    description = {
      "List the messages of a thread that you may read, in every mailbox and topic, oldest"
          + " first; or --summary: how many, who wrote them, when, how many you have not read.",
      "A thread's id is a message's thread_id, or the id of the message a reply without a"
          + " thread answered. Unread messages are marked with *.",
      "",
      "  mailroom thread review-42 --all",
      "  mailroom thread 1M819J5X70000 --desc --limit 10",
      "  mailroom thread review-42 --summary"
    })
final class ThreadCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "THREAD", description = "The thread's id.")
  String thread = "";

  @Option(names = "--summary", description = "Print the thread's summary instead.")
  boolean summary;

  @Option(names = "--desc", description = "Newest first.")
  boolean desc;

  @Mixin Paging paging;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    if (summary) {
      ThreadSummaryView s = client.threads().summary(thread);
      out.either(s, ThreadsCommand.describe(s));
      return ExitCode.OK;
    }
    Order order = desc ? Order.DESC : Order.ASC;
    return paging.print(
        new Paging.Listing<MessagePage, MessageView>(
            "messages",
            page -> client.threads().page(thread, order, page),
            first -> client.threads().pages(thread, order, first),
            MessagePage::messages,
            MessagePage::nextCursor,
            List.of("MESSAGE"),
            m -> List.of(Formats.summary(m))),
        terminal(),
        out);
  }
}
