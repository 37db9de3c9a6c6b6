package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.EnrollmentCreated;
import dev.mailroom.protocol.EnrollmentRequest;
import dev.mailroom.protocol.EnrollmentView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom enrollments}: issue, list and revoke enrollment secrets (admins). */
@Command(
    name = "enrollments",
    mixinStandardHelpOptions = true,
    description =
        "Issue, list and revoke enrollments (admins): secrets with which agents register"
            + " themselves ('mailroom enroll'), a limited number of times until they expire.",
    subcommands = {
      EnrollmentsCommand.Create.class,
      EnrollmentsCommand.ListEnrollments.class,
      EnrollmentsCommand.Revoke.class
    })
final class EnrollmentsCommand extends CommandGroup {
  static final List<String> HEADER =
      List.of("ID", "ROLES", "USES", "LEFT", "PREFIX", "EXPIRES", "ISSUER");

  static List<String> row(EnrollmentView e) {
    return List.of(
        e.id(),
        String.join(",", e.roles()),
        Integer.toString(e.uses()),
        Integer.toString(e.remaining()),
        e.idPrefix().orElse("-"),
        Formats.time(e.expiresAt()),
        e.issuer());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Issue an enrollment; prints its secret, which is shown only this once.",
        "",
        "  SECRET=$(mailroom enrollments create --uses 3 --ttl 1h --id-prefix worker- -q)"
      })
  static final class Create extends ClientCommand {
    @Option(names = "--uses", required = true, paramLabel = "N", description = "How many agents.")
    int uses;

    @Option(
        names = "--ttl",
        required = true,
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "How long it may be used: 10m, 2h, 7d.")
    Duration ttl = Duration.ZERO;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "A role of the agents it registers (repeatable; default agent).")
    List<String> roles = new ArrayList<>();

    @Option(
        names = "--id-prefix",
        paramLabel = "PREFIX",
        description = "What every registered agent's id must start with.")
    @Nullable String idPrefix;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print only the secret.")
    boolean quiet;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      EnrollmentCreated c =
          client
              .enrollments()
              .create(
                  new EnrollmentRequest(
                      roles.isEmpty() ? Optional.empty() : Optional.of(roles),
                      uses,
                      ttl.toSeconds(),
                      Optional.ofNullable(idPrefix)));
      if (out.json()) {
        out.json(c);
      } else if (quiet) {
        out.line(c.token());
      } else {
        out.table(HEADER, List.of(row(c.enrollment())));
        out.line("secret: " + c.token() + "   (shown once: keep it)");
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every enrollment not revoked, used up and expired ones too.")
  static final class ListEnrollments extends ClientCommand {
    @Override
    ExitCode run(MailroomClient client, Output out) {
      var list = client.enrollments().list();
      if (out.json()) {
        out.json(list);
      } else {
        out.table(HEADER, list.enrollments().stream().map(EnrollmentsCommand::row).toList());
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke an enrollment: its secret registers nobody from now on.")
  static final class Revoke extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The enrollment.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.enrollments().revoke(id);
      out.either(Map.of("revoked", id), "revoked " + id);
      return ExitCode.OK;
    }
  }
}
