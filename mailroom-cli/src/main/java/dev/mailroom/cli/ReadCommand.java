package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.protocol.MessageView;
import dev.mailroom.protocol.ReaderList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code mailroom read}: show messages and mark them read (or unread), or who read them. */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description = {
      "Show messages in full and mark them read (which also acknowledges their delivery).",
      "A message that cannot be shown (missing, forbidden, or one this client cannot decode) is"
          + " named on standard error and the others are still shown; the exit code is then the"
          + " first such failure's.",
      "",
      "  mailroom read 1M819J5X70000",
      "  mailroom read --keep-unread 1M819J5X70000",
      "  mailroom read --ack 1M819J5X70000",
      "  mailroom read --mark-unread 1M819J5X70000",
      "  mailroom read --readers 1M819J5X70000",
      "  mailroom read --readers --all 1M819J5X70000",
      "With --readers, each message's readers come a page at a time (--limit, and --cursor for one"
          + " message), or --all of them."
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

  @Option(
      names = "--ack",
      description =
          "Also acknowledge them: the sender sees it in 'mailroom receipts', and it meets an"
              + " acknowledgement the sender asked for (--ack-required).")
  boolean ack;

  @Mixin Paging paging;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Message ids.")
  List<String> ids = new ArrayList<>();

  @Override
  ExitCode run(MailroomClient client, Output out) {
    if (ack && (mode.readers || mode.markUnread)) {
      throw new ParameterException(
          spec.commandLine(), "--ack goes with showing messages, not --readers or --mark-unread");
    }
    if (paging.given() && !mode.readers) {
      throw new ParameterException(
          spec.commandLine(), "--limit, --cursor and --all page the readers: add --readers");
    }
    if (paging.cursor != null && ids.size() > 1) {
      throw new ParameterException(
          spec.commandLine(), "--cursor continues the readers of one message: give one id");
    }
    ExitCode result = ExitCode.OK;
    for (String id : ids) {
      try {
        if (mode.markUnread) {
          client.messages().markUnread(id);
          out.either(Map.of("id", id, "read", false), "marked unread: " + id);
        } else if (mode.readers) {
          readers(id, client, out);
        } else {
          show(client, id, out);
        }
      } catch (MailroomClientException e) {
        if (!aboutTheMessage(e.kind())) {
          throw e; // the next ids would fail the same way
        }
        terminal().err().println("mailroom: " + id + ": " + e.getMessage());
        terminal().err().flush();
        result = result == ExitCode.OK ? ExitCode.of(e.kind()) : result;
      }
    }
    return result;
  }

  /**
   * Whether a failure is about one message (missing, forbidden, not decodable), so the others are
   * still shown; the command then exits with the first such failure's code.
   */
  private static boolean aboutTheMessage(MailroomClientException.Kind kind) {
    return switch (kind) {
      case BAD_REQUEST, FORBIDDEN, NOT_FOUND, SERVER_ERROR -> true;
      case UNAUTHENTICATED, CONFLICT, TOO_LARGE, RATE_LIMITED, UNAVAILABLE, CONNECTION_FAILED ->
          false;
    };
  }

  private void show(MailroomClient client, String id, Output out) {
    MessageView m = client.messages().get(id);
    if (!mode.keepUnread) {
      client.messages().markRead(id);
    }
    if (ack) {
      client.messages().ack(id);
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

  /**
   * Prints one page of the message's readers and, on standard error, how to fetch the next; or,
   * with {@code --all}, every reader (as JSON, one list of them all).
   */
  private void readers(String id, MailroomClient client, Output out) {
    ReaderList readers;
    if (paging.all) {
      List<ReaderList.Reader> all = new ArrayList<>();
      Progress.walk(
          terminal(),
          "readers",
          client.messages().readersPages(id, paging.page()),
          ReaderList::readers,
          all::add);
      readers = new ReaderList(all);
    } else {
      readers = client.messages().readers(id, paging.page());
    }
    if (out.json()) {
      out.json(readers);
      return;
    }
    if (readers.readers().isEmpty() && paging.cursor == null) {
      out.line(id + ": nobody has read it");
    }
    out.table(
        List.of("MESSAGE", "READER", "READ AT"),
        readers.readers().stream()
            .map(r -> List.of(id, r.agentId(), Formats.time(r.readAt())))
            .toList());
    readers
        .nextCursor()
        .ifPresent(
            c ->
                terminal()
                    .err()
                    .println(
                        (ids.size() > 1 ? "more of " + id + ": " : "more: ") + "--cursor " + c));
  }
}
