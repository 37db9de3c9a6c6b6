package dev.mailroom.cli;

import dev.mailroom.client.AgentFilter;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentList;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.CreateAgentRequest;
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

/** {@code mailroom agents}: register agents and manage their roles and tokens. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description =
        "Register agents (admins), list and show the directory, edit a profile, retire and delete"
            + " agents (admins), set their roles, rotate and revoke tokens. A token is printed only by"
            + " create and rotate-token, the one time it is issued.",
    subcommands = {
      AgentsCommand.Create.class,
      AgentsCommand.ListAgents.class,
      AgentsCommand.Show.class,
      DirectoryCommands.Profile.class,
      DirectoryCommands.Retire.class,
      DirectoryCommands.Delete.class,
      AgentsCommand.SetRoles.class,
      AgentsCommand.RotateToken.class,
      AgentsCommand.RevokeToken.class
    })
final class AgentsCommand extends CommandGroup {
  static final List<String> HEADER =
      List.of("ID", "NAME", "ROLES", "ONLINE", "LAST SEEN", "CREATED", "TOKEN EXPIRES");

  static List<String> row(AgentView a) {
    return List.of(
        a.id(),
        a.displayName().orElse("-"),
        a.roles().isEmpty() ? "-" : String.join(",", a.roles()),
        a.retired() ? "retired" : a.online() ? "yes" : "no",
        a.lastSeen().map(Formats::time).orElse("-"),
        Formats.time(a.createdAt()),
        a.roles().isEmpty() ? "-" : a.tokenExpiresAt().map(Formats::time).orElse("never"));
  }

  /** How an issued token is printed: in full, or alone with {@code --quiet} for scripts. */
  static final class Issued {
    @Option(
        names = {"-q", "--quiet"},
        description = "Print only the token.")
    boolean quiet;

    void print(AgentCreated a, Output out) {
      if (out.json()) {
        out.json(a);
      } else if (quiet) {
        out.line(a.token());
      } else {
        out.line("agent:   " + a.id() + " (" + String.join(", ", a.roles()) + ")");
        out.line("token:   " + a.token() + "   (shown once: keep it)");
        out.line("expires: " + a.tokenExpiresAt().map(Formats::time).orElse("never"));
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Register an agent (admins); prints its token, which is shown only this once.",
        "",
        "  mailroom agents create alice --role agent",
        "  ALICE=$(mailroom agents create alice --quiet)"
      })
  static final class Create extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "1-64 characters of A-Z a-z 0-9 _ -.")
    String id = "";

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "A role (repeatable; default agent).")
    List<String> roles = new ArrayList<>();

    @Option(
        names = "--token-ttl",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "The token expires after this long: 90s, 10m, 2h, 7d.")
    @Nullable Duration tokenTtl;

    @Mixin Issued issued;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentCreated a =
          client
              .agents()
              .create(
                  new CreateAgentRequest(
                      id,
                      roles.isEmpty() ? Optional.empty() : Optional.of(roles),
                      Optional.ofNullable(tokenTtl).map(Duration::toSeconds)));
      issued.print(a, out);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "The directory: agents by id, a page at a time, or --all of them. Roles and token expiry",
        "are shown to admins and of yourself only.",
        "",
        "  mailroom agents list --tag reviewer --online"
      })
  static final class ListAgents extends ClientCommand {
    @Mixin Paging paging;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only agents with this tag.")
    @Nullable String tag;

    @Option(names = "--online", description = "Only agents online now, on any node.")
    boolean online;

    @Option(names = "--offline", description = "Only agents not online now.")
    boolean offline;

    @Option(names = "--retired", description = "Only retired agents.")
    boolean retired;

    @Option(names = "--active", description = "Only agents not retired.")
    boolean active;

    @Option(
        names = {"-q", "--query"},
        paramLabel = "PREFIX",
        description = "Only agents whose id or display name starts so (ignoring case).")
    @Nullable String query;

    private AgentFilter filter() {
      AgentFilter f = AgentFilter.ALL;
      if (tag != null) {
        f = f.withTag(tag);
      }
      if (query != null) {
        f = f.withPrefix(query);
      }
      if (online != offline) {
        f = f.withOnline(online);
      }
      if (retired != active) {
        f = f.withRetired(retired);
      }
      return f;
    }

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentFilter f = filter();
      return paging.print(
          new Paging.Listing<>(
              "agents",
              p -> client.agents().list(f, p),
              p -> client.agents().pages(f, p),
              AgentList::agents,
              AgentList::nextCursor,
              HEADER,
              AgentsCommand::row),
          terminal(),
          out);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One agent's directory entry, its profile included.")
  static final class Show extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The agent.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentView a = client.agents().get(id);
      if (out.json()) {
        out.json(a);
      } else {
        DirectoryCommands.print(a, out);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "roles",
      mixinStandardHelpOptions = true,
      description = {
        "Replace an agent's roles (admins).",
        "",
        "  mailroom agents roles bob agent reviewers"
      })
  static final class SetRoles extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The agent.")
    String id = "";

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ROLE", description = "Its roles.")
    List<String> roles = new ArrayList<>();

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentView a = client.agents().replaceRoles(id, roles);
      out.either(a, a.id() + ": " + String.join(", ", a.roles()));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "rotate-token",
      mixinStandardHelpOptions = true,
      description =
          "Issue a new token (the agent itself, or an admin); the old one stops working at once.")
  static final class RotateToken extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The agent.")
    String id = "";

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "The new token expires after this long.")
    @Nullable Duration ttl;

    @Mixin Issued issued;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentCreated a =
          ttl == null ? client.agents().rotateToken(id) : client.agents().rotateToken(id, ttl);
      issued.print(a, out);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "revoke-token",
      mixinStandardHelpOptions = true,
      description = "Revoke the agent's token: none works until an admin rotates it.")
  static final class RevokeToken extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The agent.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.agents().revokeToken(id);
      out.either(Map.of("revoked", id), "revoked the token of " + id);
      return ExitCode.OK;
    }
  }
}
