package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.ReaderList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom read}: show messages and mark them read (or unread), or who read them. */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description = {
      "Show messages in full and mark them read (which also acknowledges their delivery).",
      "",
      "  mailroom read 1M819J5X70000",
      "  mailroom read --keep-unread 1M819J5X70000",
      "  mailroom read --mark-unread 1M819J5X70000",
      "  mailroom read --readers 1M819J5X70000"
    })
final class ReadCommand extends ClientCommand {
  static final class Mode {
    @Option(names = "--keep-unread", description = "Show without marking read.")
    boolean keepUnread;

    @Option(names = "--mark-unread", description = "Mark unread again; show nothing.")
    boolean markUnread;

    @Option(names = "--readers", description = "Show who read them, and when.")
    boolean readers;
  }

  @ArgGroup(exclusive = true)
  Mode mode = new Mode();

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Message ids.")
  List<String> ids = new ArrayList<>();

  @Override
  ExitCode run(MailroomClient client, Output out) {
    for (String id : ids) {
      if (mode.markUnread) {
        client.messages().markUnread(id);
        out.either(Map.of("id", id, "read", false), "marked unread: " + id);
      } else if (mode.readers) {
        readers(id, client.messages().readers(id), out);
      } else {
        show(client, id, out);
      }
    }
    return ExitCode.OK;
  }

  private void show(MailroomClient client, String id, Output out) {
    MessageView m = client.messages().get(id);
    if (!mode.keepUnread) {
      client.messages().markRead(id);
    }
    if (out.json()) {
      out.json(m);
      return;
    }
    Formats.full(m).forEach(out::line);
    if (ids.size() > 1) {
      out.line("");
    }
  }

  private static void readers(String id, ReaderList readers, Output out) {
    if (out.json()) {
      out.json(readers);
      return;
    }
    if (readers.readers().isEmpty()) {
      out.line(id + ": nobody has read it");
    }
    out.table(
        List.of("MESSAGE", "READER", "READ AT"),
        readers.readers().stream()
            .map(r -> List.of(id, r.agentId(), Formats.time(r.readAt())))
            .toList());
  }
}
