package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Obligations;
import dev.mailroom.protocol.ObligationList;
import dev.mailroom.protocol.ObligationView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mailroom obligations}: what is owed to you and by you. */
@Command(
    name = "obligations",
    mixinStandardHelpOptions = true,
    description = {
      "List obligations, newest first: acknowledgements and replies that messages asked for"
          + " (send --ack-required, --reply-by). By default those owed by you (messages to you,"
          + " or with --mailbox to a shared mailbox or topic) that are still open or overdue.",
      "",
      "  mailroom obligations",
      "  mailroom obligations --owed-to-me --state overdue",
      "  mailroom obligations --mailbox triage --all"
    })
final class ObligationsCommand extends ClientCommand {
  static final List<String> HEADER =
      List.of("MESSAGE", "FROM", "OWED BY", "OWED", "REPLY BY", "STATE", "MET");

  static final class Role {
    @Option(names = "--owed-by-me", description = "Owed by you (the default).")
    boolean byMe;

    @Option(names = "--owed-to-me", description = "Owed to you: your messages still waiting.")
    boolean toMe;
  }

  @ArgGroup(exclusive = true)
  Role role = new Role();

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description = "open, overdue or met (repeatable or comma-separated; default open,overdue).")
  List<Obligations.State> states = new ArrayList<>();

  @Option(
      names = "--mailbox",
      paramLabel = "NAME",
      description = "With --owed-by-me: a shared mailbox or topic you may read.")
  @Nullable String mailbox;

  @Mixin Paging paging;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    Obligations.Role side = role.toMe ? Obligations.Role.OWED_TO_ME : Obligations.Role.OWED_BY_ME;
    Set<Obligations.State> wanted = states.isEmpty() ? Set.of() : EnumSet.copyOf(states);
    Optional<String> box = Optional.ofNullable(mailbox);
    return paging.print(
        new Paging.Listing<ObligationList, ObligationView>(
            "obligations",
            page -> client.obligations().list(side, wanted, box, page),
            first -> client.obligations().pages(side, wanted, box, first),
            ObligationList::obligations,
            ObligationList::nextCursor,
            HEADER,
            ObligationsCommand::row),
        terminal(),
        out);
  }

  static List<String> row(ObligationView o) {
    return List.of(
        o.messageId(),
        o.sender(),
        o.owedBy(),
        o.ackRequired() ? "ack or reply" : "reply",
        o.replyBy().map(Instant::toString).orElse("-"),
        o.state() + (o.late() ? " (late)" : ""),
        o.metBy().map(by -> by + " " + o.metHow().orElse("")).orElse("-"));
  }
}
