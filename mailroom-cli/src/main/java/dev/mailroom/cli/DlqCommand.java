package dev.mailroom.cli;

import dev.mailroom.client.DeadLetters;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.DeadLetterList;
import dev.mailroom.protocol.DeadLetterView;
import dev.mailroom.protocol.PurgeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom dlq}: dead letters, to inspect, replay and purge. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = {
      "Dead letters: deliveries given up on after their last attempt. Your own; an admin may name"
          + " an agent with --agent (without it, an admin lists and purges everyone's)."
    },
    subcommands = {
      DlqCommand.ListLetters.class,
      DlqCommand.Show.class,
      DlqCommand.Replay.class,
      DlqCommand.Purge.class
    })
final class DlqCommand extends CommandGroup {
  static final List<String> HEADER =
      List.of("ID", "AGENT", "SUBSCRIPTION", "ATTEMPTS", "DEAD AT", "REASON");

  /** {@code --agent}: whose dead letters. */
  static final class Scope {
    @Option(names = "--agent", paramLabel = "AGENT", description = "An agent's (admins).")
    @Nullable String agent;

    DeadLetters of(MailroomClient client) {
      return agent == null ? client.deadLetters() : client.deadLetters(agent);
    }
  }

  static List<String> row(DeadLetterView d) {
    return List.of(
        d.id(),
        d.agentId(),
        d.subscriptionId(),
        Integer.toString(d.attempts()),
        Formats.time(d.deadAt()),
        d.reason());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List dead letters, a page at a time, or --all of them.")
  static final class ListLetters extends ClientCommand {
    @Mixin Scope scope;

    @Option(names = "--limit", paramLabel = "N", description = "Per page (1-1000).")
    int limit = DeadLetters.DEFAULT_LIMIT;

    @Option(names = "--after", paramLabel = "ID", description = "The page after this id.")
    @Nullable String after;

    @Option(names = "--all", description = "Every page (one dead letter per line with --json).")
    boolean all;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      DeadLetters letters = scope.of(client);
      if (all) {
        List<List<String>> rows = new ArrayList<>();
        Progress.walk(
            terminal(),
            "dead letters",
            letters.pages(limit),
            p -> {
              reportSkipped(p);
              return p.deadLetters();
            },
            d -> {
              if (out.json()) {
                out.json(d);
              } else {
                rows.add(row(d));
              }
            });
        out.table(HEADER, rows);
        return ExitCode.OK;
      }
      DeadLetterList page = after == null ? letters.list(limit) : letters.list(after, limit);
      if (out.json()) {
        out.json(page);
        reportSkipped(page);
        return ExitCode.OK;
      }
      out.table(HEADER, page.deadLetters().stream().map(DlqCommand::row).toList());
      if (page.deadLetters().isEmpty() && page.skipped().isEmpty()) {
        terminal().err().println("no dead letters");
      }
      reportSkipped(page);
      page.nextAfterId().ifPresent(id -> terminal().err().println("more: --after " + id));
      return ExitCode.OK;
    }

    /** Names the dead letters that could not be shown; replay and purge still take their ids. */
    private void reportSkipped(DeadLetterList page) {
      page.skipped().forEach(s -> terminal().err().println(Formats.skipped(s)));
      terminal().err().flush();
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One dead letter.")
  static final class Show extends ClientCommand {
    @Mixin Scope scope;

    @Parameters(paramLabel = "ID", description = "The message id.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      DeadLetterView d = scope.of(client).get(id);
      if (out.json()) {
        out.json(d);
        return ExitCode.OK;
      }
      out.table(HEADER, List.of(row(d)));
      out.line("");
      Formats.full(d.message()).forEach(out::line);
      return ExitCode.OK;
    }
  }

  /** Which dead letters: the ids given, or all of them. */
  static final class Which {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Message ids.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", required = true, description = "Every one.")
    boolean all;
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Make dead letters pending again with their attempts reset (a stream pushes them at"
            + " once). --all replays every one, with a progress count on a terminal.",
        "",
        "  mailroom dlq replay 1M819J5X70000",
        "  mailroom dlq replay --all --agent bob"
      })
  static final class Replay extends ClientCommand {
    @Mixin Scope scope;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      DeadLetters letters = scope.of(client);
      // With --all each letter is replayed as its own agent's, so an admin's list of everyone's
      // replays everyone's.
      List<Map.Entry<DeadLetters, String>> targets =
          which.all
              ? letters
                  .all(1000)
                  .map(d -> Map.entry(client.deadLetters(d.agentId()), d.id()))
                  .toList()
              : which.ids.stream().map(id -> Map.entry(letters, id)).toList();
      try (Progress progress = new Progress(terminal(), "replayed")) {
        for (Map.Entry<DeadLetters, String> t : targets) {
          t.getKey().replay(t.getValue());
          progress.advance(1);
        }
      }
      List<String> ids = targets.stream().map(Map.Entry::getValue).toList();
      out.either(Map.of("replayed", ids), "replayed " + ids.size());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Remove dead letters: the ids given, or --all in scope.")
  static final class Purge extends ClientCommand {
    @Mixin Scope scope;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      DeadLetters letters = scope.of(client);
      if (which.all) {
        PurgeResult r = letters.purgeAll();
        out.either(r, "purged " + r.purged());
        return ExitCode.OK;
      }
      which.ids.forEach(letters::purge);
      out.either(new PurgeResult(which.ids.size()), "purged " + which.ids.size());
      return ExitCode.OK;
    }
  }
}
