package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.ProfileRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mailroom agents profile} and {@code mailroom agents retire}, and how one directory entry
 * prints. Profiles are other agents' words: the terminal shows their control characters as escapes
 * ({@link SafeText}).
 */
final class DirectoryCommands {
  private DirectoryCommands() {}

  /** One agent's entry, a field a line. */
  static void print(AgentView a, Output out) {
    out.line("agent:       " + a.id() + (a.retired() ? "   (retired)" : ""));
    a.displayName().ifPresent(n -> out.line("name:        " + n));
    a.description().ifPresent(d -> out.line("description: " + d.replace("\n", "\n             ")));
    a.program().ifPresent(p -> out.line("program:     " + p));
    a.model().ifPresent(m -> out.line("model:       " + m));
    if (!a.tags().isEmpty()) {
      out.line("tags:        " + String.join(", ", a.tags()));
    }
    out.line("online:      " + (a.online() ? "yes" : "no"));
    out.line("last seen:   " + a.lastSeen().map(Formats::time).orElse("never"));
    out.line("created:     " + Formats.time(a.createdAt()));
    a.retiredAt().ifPresent(t -> out.line("retired:     " + Formats.time(t)));
    if (!a.roles().isEmpty()) {
      out.line("roles:       " + String.join(", ", a.roles()));
      out.line("token:       expires " + a.tokenExpiresAt().map(Formats::time).orElse("never"));
    }
  }

  /** The options that make a profile, shared by {@code agents profile} and {@code enroll}. */
  static final class ProfileOptions {
    @Option(names = "--display-name", paramLabel = "NAME", description = "A short name.")
    @Nullable String displayName;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        description = "Its role or task: what it does for others.")
    @Nullable String description;

    @Option(names = "--program", paramLabel = "NAME", description = "The program it runs in.")
    @Nullable String program;

    @Option(names = "--model", paramLabel = "NAME", description = "The model it runs on.")
    @Nullable String model;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable).")
    List<String> tags = new ArrayList<>();

    ProfileRequest request() {
      return new ProfileRequest(
          Optional.ofNullable(displayName),
          Optional.ofNullable(description),
          Optional.ofNullable(program),
          Optional.ofNullable(model),
          tags);
    }
  }

  @Command(
      name = "profile",
      mixinStandardHelpOptions = true,
      description = {
        "Replace an agent's profile (the agent itself, or an admin): what is not given is unset.",
        "",
        "  mailroom agents profile alice --display-name Alice --description 'Reviews PRs' \\\\",
        "      --tag review"
      })
  static final class Profile extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The agent.")
    String id = "";

    @Mixin ProfileOptions profile;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentView a = client.agents().updateProfile(id, profile.request());
      if (out.json()) {
        out.json(a);
      } else {
        print(a, out);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "retire",
      mixinStandardHelpOptions = true,
      description = {
        "Retire an agent (admins): its token stops working on every node at once, its mail is",
        "kept, and it shows as retired. It gets no new token."
      })
  static final class Retire extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The agent.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AgentView a = client.agents().retire(id);
      out.either(a, a.id() + ": retired " + a.retiredAt().map(Formats::time).orElse(""));
      return ExitCode.OK;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete an agent (admins): it is gone on every node at once, with its token, profile,",
        "subscriptions, read marks, reservations and mailbox (messages no other mailbox holds go",
        "with it). What it sent to others stays. Its id may be registered again. An admin cannot",
        "delete itself, nor the last active admin. To keep its mail, retire it instead."
      })
  static final class Delete extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The agent.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.agents().delete(id);
      out.either(Map.of("deleted", id), "deleted agent " + id);
      return ExitCode.OK;
    }
  }
}
