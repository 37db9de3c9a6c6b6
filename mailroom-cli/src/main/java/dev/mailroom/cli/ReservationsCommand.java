package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Reservations;
import dev.mailroom.protocol.ReservationCheck;
import dev.mailroom.protocol.ReservationList;
import dev.mailroom.protocol.ReservationView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom reservations}: hold paths of a project, and the pre-commit check. */
@Command(
    name = "reservations",
    mixinStandardHelpOptions = true,
    description =
        "Reserve paths of a project so other agents see you are working on them; renew, release"
            + " and list reservations; check staged files (a git pre-commit hook: see 'hooks"
            + " install --git').",
    subcommands = {
      ReservationsCommand.Reserve.class,
      ReservationsCommand.Renew.class,
      ReservationsCommand.Release.class,
      ReservationsCommand.ListReservations.class,
      ReservationsCommand.Check.class
    })
final class ReservationsCommand extends CommandGroup {
  static final List<String> HEADER =
      List.of("ID", "PROJECT", "HOLDER", "MODE", "EXPIRES", "PATHS", "REASON");

  static List<String> row(ReservationView r) {
    return List.of(
        r.id(),
        r.project(),
        r.holder(),
        r.exclusive() ? "exclusive" : "shared",
        r.expiresAt().toString(),
        String.join(",", r.paths()),
        r.reason());
  }

  /** One line saying who holds what until when. */
  static String held(ReservationView r) {
    return r.holder()
        + " holds "
        + String.join(", ", r.paths())
        + (r.exclusive() ? " exclusively" : " shared")
        + " until "
        + r.expiresAt()
        + " ("
        + r.id()
        + (r.reason().isEmpty() ? "" : ": " + r.reason())
        + ")";
  }

  @Command(
      name = "reserve",
      mixinStandardHelpOptions = true,
      description = {
        "Reserve paths or globs of a project (* and ? within a directory name, ** for any"
            + " depth). Exit code 7 when other agents hold overlapping paths; they are listed."
      })
  static final class Reserve extends ClientCommand {
    @Option(names = "--project", required = true, paramLabel = "NAME", description = "The project.")
    String project = "";

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Paths or globs to hold.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--shared", description = "Share the paths with others (default: exclusive).")
    boolean shared;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "How long (90s, 30m, 2h; at most 24h). Default: the server's, 1h.")
    @Nullable Duration ttl;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the agents it blocks.")
    @Nullable String reason;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      Reservations.Outcome outcome =
          client
              .reservations()
              .reserve(
                  project, paths, !shared, Optional.ofNullable(ttl), Optional.ofNullable(reason));
      return switch (outcome) {
        case Reservations.Outcome.Granted g -> {
          ReservationView r = g.reservation();
          out.either(r, "reserved " + r.id() + " until " + r.expiresAt());
          yield ExitCode.OK;
        }
        case Reservations.Outcome.Refused refused -> {
          if (out.json()) {
            out.json(refused.problem());
          } else {
            out.line("not reserved: other agents hold overlapping paths");
            refused.conflicts().forEach(c -> out.line("  " + held(c)));
          }
          yield ExitCode.CONFLICT;
        }
      };
    }
  }

  @Command(
      name = "renew",
      mixinStandardHelpOptions = true,
      description = "Make one of your reservations end --ttl from now.")
  static final class Renew extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The reservation.")
    String id = "";

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "From now (default 1h, at most 24h).")
    Duration ttl = Duration.ofHours(1);

    @Override
    ExitCode run(MailroomClient client, Output out) {
      ReservationView r = client.reservations().renew(id, ttl);
      out.either(r, "renewed " + r.id() + " until " + r.expiresAt());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = "Release reservations (yours; anyone's, for an admin).")
  static final class Release extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "The reservations.")
    List<String> ids = new ArrayList<>();

    @Override
    ExitCode run(MailroomClient client, Output out) {
      for (String id : ids) {
        client.reservations().release(id);
        out.either(Map.of("released", id), "released " + id);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The live reservations, by id, of a project or agent if given.")
  static final class ListReservations extends ClientCommand {
    @Option(names = "--project", paramLabel = "NAME", description = "Only this project's.")
    @Nullable String project;

    @Option(names = "--agent", paramLabel = "ID", description = "Only this agent's.")
    @Nullable String agent;

    @Mixin Paging paging;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      Optional<String> p = Optional.ofNullable(project);
      Optional<String> a = Optional.ofNullable(agent);
      return paging.print(
          new Paging.Listing<>(
              "reservations",
              page -> client.reservations().list(p, a, page),
              page -> client.reservations().pages(p, a, page),
              ReservationList::reservations,
              ReservationList::nextCursor,
              HEADER,
              ReservationsCommand::row),
          terminal(),
          out);
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Whether other agents hold any of these files exclusively; without PATHs, the files"
            + " staged in the git repository (git diff --cached). Prints who holds what until"
            + " when, and exits with 7 if any is held: as a git pre-commit hook it refuses the"
            + " commit. Exits 0 when the files are free."
      })
  static final class Check extends ClientCommand {
    /** The most paths the server checks in one request. */
    static final int BATCH = 10_000;

    @Option(
        names = "--project",
        paramLabel = "NAME",
        description = "The project. Default: the name of the repository's top-level directory.")
    @Nullable String project;

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        description = "The git repository (default: the current directory).")
    Path repo = Path.of(".");

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Paths from the project root.")
    List<String> paths = new ArrayList<>();

    @Override
    ExitCode run(MailroomClient client, Output out) {
      GitRepository git = new GitRepository(repo);
      List<String> asked = paths.isEmpty() ? git.stagedPaths() : paths;
      String name = project != null ? project : git.topLevel().getFileName().toString();
      if (asked.isEmpty()) {
        out.either(new ReservationCheck(name, List.of()), "nothing to check");
        return ExitCode.OK;
      }
      ReservationCheck check = check(client, name, asked);
      if (out.json()) {
        out.json(check);
      } else if (check.blocked().isEmpty()) {
        out.line("no other agent holds these " + asked.size() + " paths of " + name);
      } else {
        out.line("refused: other agents hold files of " + name + " exclusively:");
        for (ReservationCheck.Blocked b : check.blocked()) {
          for (ReservationView r : b.heldBy()) {
            out.line(
                "  "
                    + b.path()
                    + ": "
                    + r.holder()
                    + " until "
                    + r.expiresAt()
                    + " ("
                    + r.id()
                    + (r.reason().isEmpty() ? "" : ": " + r.reason())
                    + ")");
          }
        }
        out.line("ask the holders, wait for the reservations to end, or unstage those files");
      }
      return check.blocked().isEmpty() ? ExitCode.OK : ExitCode.CONFLICT;
    }

    /** Asks about the paths in requests of at most {@link #BATCH}: a huge commit is no 400. */
    private static ReservationCheck check(MailroomClient client, String project, List<String> all) {
      List<ReservationCheck.Blocked> blocked = new ArrayList<>();
      for (int from = 0; from < all.size(); from += BATCH) {
        List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
        blocked.addAll(client.reservations().check(project, batch).blocked());
      }
      return new ReservationCheck(project, blocked);
    }
  }
}
