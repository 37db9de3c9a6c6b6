package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.ObligationView;
import dev.mailroom.protocol.ReceiptList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mailroom receipts}: did anyone pick my message up? */
@Command(
    name = "receipts",
    mixinStandardHelpOptions = true,
    description = {
      "Show what became of a message you sent at each recipient: its furthest step (queued,"
          + " delivered, read, acknowledged, replied) and when each happened, and what it asked"
          + " for (--ack-required, --reply-by on send) and whether that is open, overdue or met.",
      "",
      "  mailroom receipts 1M819J5X70000",
      "  mailroom receipts 1M819J5X70000 --all --json"
    })
final class ReceiptsCommand extends ClientCommand {
  static final List<String> HEADER =
      List.of("AGENT", "STATE", "QUEUED", "DELIVERED", "READ", "ACKNOWLEDGED", "REPLIED");

  @Parameters(index = "0", paramLabel = "ID", description = "A message you sent.")
  String id = "";

  @Mixin Paging paging;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    if (out.json() || paging.all) {
      return paging.print(
          new Paging.Listing<ReceiptList, ReceiptList.Receipt>(
              "receipts",
              page -> client.messages().receipts(id, page),
              first -> client.messages().receiptsPages(id, first),
              ReceiptList::receipts,
              ReceiptList::nextCursor,
              HEADER,
              ReceiptsCommand::row),
          terminal(),
          out);
    }
    ReceiptList page = client.messages().receipts(id, paging.page());
    page.obligation().ifPresent(o -> out.line(describe(o)));
    if (page.receipts().isEmpty() && paging.cursor == null) {
      out.line("nobody has fetched, read, acknowledged or answered it yet");
    }
    out.table(HEADER, page.receipts().stream().map(ReceiptsCommand::row).toList());
    Paging.more(page.nextCursor(), terminal());
    return ExitCode.OK;
  }

  private static List<String> row(ReceiptList.Receipt r) {
    return List.of(
        r.agentId(),
        r.state(),
        r.queuedAt().toString(),
        time(r.deliveredAt()),
        time(r.readAt()),
        time(r.acknowledgedAt()),
        time(r.repliedAt()));
  }

  private static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse("-");
  }

  /** One line: what is owed, by whom, by when, and where it stands. */
  static String describe(ObligationView o) {
    StringBuilder b = new StringBuilder("obligation: ");
    b.append(o.ackRequired() ? "an ack or a reply" : "a reply")
        .append(" owed by ")
        .append(o.owedBy());
    o.replyBy().ifPresent(t -> b.append(" by ").append(t));
    b.append(": ").append(o.state());
    if (o.metBy().isPresent()) {
      b.append(" by ")
          .append(o.metBy().get())
          .append(" (")
          .append(o.metHow().orElse(""))
          .append(')');
      o.metAt().ifPresent(t -> b.append(" at ").append(t));
    }
    if (o.late()) {
      b.append(", late");
    }
    return b.toString();
  }
}
