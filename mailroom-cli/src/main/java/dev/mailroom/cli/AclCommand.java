package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AccessExplanation;
import dev.mailroom.protocol.AclGrantRequest;
import dev.mailroom.protocol.AclRuleList;
import dev.mailroom.protocol.AclRuleView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom acl}: permission rules (admins). */
@Command(
    name = "acl",
    mixinStandardHelpOptions = true,
    description = "Grant, revoke, list and explain permissions (admins).",
    subcommands = {
      AclCommand.ListRules.class,
      AclCommand.Grant.class,
      AclCommand.Revoke.class,
      AclCommand.Explain.class
    })
final class AclCommand extends CommandGroup {
  static final List<String> HEADER =
      List.of("ID", "GRANTEE", "EFFECT", "ACTIONS", "RESOURCE", "BY", "CREATED");

  static List<String> row(AclRuleView r) {
    return List.of(
        r.id(),
        r.grantee(),
        r.effect(),
        String.join(",", r.actions()),
        r.resource(),
        r.createdBy(),
        Formats.time(r.createdAt()));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every rule.")
  static final class ListRules extends ClientCommand {
    @Override
    ExitCode run(MailroomClient client, Output out) {
      AclRuleList rules = client.acl().list();
      if (out.json()) {
        out.json(rules);
        return ExitCode.OK;
      }
      out.table(HEADER, rules.rules().stream().map(AclCommand::row).toList());
      terminal().err().println("policy version " + rules.version());
      return ExitCode.OK;
    }
  }

  @Command(
      name = "grant",
      mixinStandardHelpOptions = true,
      description = {
        "Allow (or with --deny, deny) actions on a name or pattern, and everything below it.",
        "",
        "  mailroom acl grant --grantee '*' --deny --action read --action write team.secret",
        "  mailroom acl grant --grantee agent:alice --action read --action write team.secret"
      })
  static final class Grant extends ClientCommand {
    @Option(
        names = "--grantee",
        required = true,
        paramLabel = "WHO",
        description = "agent:<id>, role:<name> or *.")
    String grantee = "";

    @Option(
        names = "--action",
        required = true,
        paramLabel = "ACTION",
        description = "read, write, subscribe or admin (repeatable).")
    List<String> actions = new ArrayList<>();

    @Option(names = "--deny", description = "Deny instead of allow.")
    boolean deny;

    @Parameters(paramLabel = "RESOURCE", description = "A mailbox or topic name or pattern.")
    String resource = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AclRuleView r =
          client
              .acl()
              .grant(
                  new AclGrantRequest(
                      grantee, actions, resource, Optional.of(deny ? "deny" : "allow")));
      out.either(
          r,
          "rule "
              + r.id()
              + ": "
              + r.effect()
              + " "
              + r.grantee()
              + " "
              + String.join(",", r.actions())
              + " on "
              + r.resource());
      return ExitCode.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove a rule.")
  static final class Revoke extends ClientCommand {
    @Parameters(paramLabel = "RULE", description = "The rule's id.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.acl().revoke(id);
      out.either(Map.of("revoked", id), "revoked rule " + id);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description = {
        "Whether an agent may do an action on a name, and which rule or default decides. Exit"
            + " code 0 either way.",
        "",
        "  mailroom acl explain --agent alice --action read team.review"
      })
  static final class Explain extends ClientCommand {
    @Option(names = "--agent", required = true, paramLabel = "AGENT", description = "Who.")
    String agent = "";

    @Option(
        names = "--action",
        required = true,
        paramLabel = "ACTION",
        description = "read, write, subscribe or admin.")
    String action = "";

    @Parameters(paramLabel = "RESOURCE", description = "A name (for subscribe, a pattern).")
    String resource = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AccessExplanation e = client.acl().explain(agent, action, resource);
      if (out.json()) {
        out.json(e);
        return ExitCode.OK;
      }
      out.line(
          (e.allowed() ? "allowed: " : "denied: ")
              + e.agent()
              + " may"
              + (e.allowed() ? " " : " not ")
              + e.action()
              + " "
              + e.resource());
      out.line("because: " + e.reason());
      if (!e.considered().isEmpty()) {
        out.line("rules that apply, the deciding one first:");
        out.table(HEADER, e.considered().stream().map(AclCommand::row).toList());
      }
      return ExitCode.OK;
    }
  }
}
