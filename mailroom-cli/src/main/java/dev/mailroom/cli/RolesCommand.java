package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.RoleList;
import dev.mailroom.protocol.RoleView;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  static final List<String> HEADER = List.of("NAME", "BUILT IN", "MEMBERS", "DESCRIPTION");

  static List<String> row(RoleView r) {
    String members = String.join(",", r.members());
    if (r.moreMembers() > 0) {
      members += (members.isEmpty() ? "" : " ") + "(+" + r.moreMembers() + " more)";
    }
    return List.of(r.name(), r.builtIn() ? "yes" : "no", members, r.description());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "The roles, built-in ones first, a page at a time, or --all of them. A role shows its"
            + " first 100 members by id and counts the rest; 'agents list' shows every agent's"
            + " roles."
      })
  static final class ListRoles extends ClientCommand {
    @Mixin Paging paging;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      return paging.print(
          new Paging.Listing<>(
              "roles",
              client.roles()::list,
              client.roles()::pages,
              RoleList::roles,
              RoleList::nextCursor,
              HEADER,
              RolesCommand::row),
          terminal(),
          out);
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
