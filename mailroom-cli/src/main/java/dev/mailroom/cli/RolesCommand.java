package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.RoleList;
import dev.mailroom.protocol.RoleView;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom roles}: groups of agents for permission rules (admins). */
@Command(
    name = "roles",
    mixinStandardHelpOptions = true,
    description =
        "List, create and delete roles (admins). Give an agent roles with 'agents roles'.",
    subcommands = {
      RolesCommand.ListRoles.class,
      RolesCommand.Create.class,
      RolesCommand.Delete.class
    })
final class RolesCommand extends CommandGroup {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every role.")
  static final class ListRoles extends ClientCommand {
    @Override
    ExitCode run(MailroomClient client, Output out) {
      RoleList roles = client.roles().list();
      if (out.json()) {
        out.json(roles);
        return ExitCode.OK;
      }
      out.table(
          List.of("NAME", "BUILT IN", "MEMBERS", "DESCRIPTION"),
          roles.roles().stream()
              .map(
                  r ->
                      List.of(
                          r.name(),
                          r.builtIn() ? "yes" : "no",
                          String.join(",", r.members()),
                          r.description()))
              .toList());
      return ExitCode.OK;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "A custom role.")
  static final class Create extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The role's name.")
    String name = "";

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      RoleView r = client.roles().create(name, description);
      out.either(r, "created role " + r.name());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a custom role nobody holds, with the rules granted to it.")
  static final class Delete extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The role.")
    String name = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.roles().delete(name);
      out.either(Map.of("deleted", name), "deleted role " + name);
      return ExitCode.OK;
    }
  }
}
