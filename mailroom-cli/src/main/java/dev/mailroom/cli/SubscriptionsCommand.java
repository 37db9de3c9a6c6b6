package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.SubscriptionList;
import dev.mailroom.protocol.SubscriptionView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mailroom subscriptions}: the caller's standing interests. */
@Command(
    name = "subscriptions",
    mixinStandardHelpOptions = true,
    description = "List, create, show and delete your subscriptions.",
    subcommands = {
      SubscriptionsCommand.ListSubscriptions.class,
      SubscriptionsCommand.Create.class,
      SubscriptionsCommand.Show.class,
      SubscriptionsCommand.Delete.class
    })
final class SubscriptionsCommand extends CommandGroup {

  static List<String> row(SubscriptionView s) {
    List<String> filter = new ArrayList<>();
    s.filter().sender().ifPresent(x -> filter.add("from " + x));
    s.filter().minPriority().ifPresent(x -> filter.add(x + "+"));
    s.filter().contentType().ifPresent(filter::add);
    s.filter().tags().forEach(t -> filter.add("#" + t));
    return List.of(
        s.id(),
        s.pattern(),
        s.deliveryMode() + (s.autoAck() ? ", auto-ack" : ""),
        Long.toString(s.queued()),
        String.join(" ", filter));
  }

  static final List<String> HEADER = List.of("ID", "PATTERN", "MODE", "QUEUED", "FILTER");

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Your subscriptions, a page at a time, or --all of them.")
  static final class ListSubscriptions extends ClientCommand {
    @Mixin Paging paging;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      return paging.print(
          new Paging.Listing<>(
              "subscriptions",
              client.subscriptions()::list,
              client.subscriptions()::pages,
              SubscriptionList::subscriptions,
              SubscriptionList::nextCursor,
              HEADER,
              SubscriptionsCommand::row),
          terminal(),
          out);
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Subscribe to a mailbox or topic name, or a pattern with * (one segment) and ** (one or"
            + " more).",
        "",
        "  mailroom subscriptions create 'ai.models.*' --min-priority high --tag review"
      })
  static final class Create extends ClientCommand {
    @Parameters(paramLabel = "PATTERN", description = "A name or pattern.")
    String pattern = "";

    @Mixin SubscriptionOptions options;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      SubscriptionView s = client.subscriptions().create(pattern, options.settings());
      out.either(s, "subscribed: " + s.id() + " to " + s.pattern() + " (" + s.deliveryMode() + ")");
      return ExitCode.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One subscription.")
  static final class Show extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      SubscriptionView s = client.subscriptions().get(id);
      if (out.json()) {
        out.json(s);
      } else {
        out.table(HEADER, List.of(row(s)));
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Unsubscribe.")
  static final class Delete extends ClientCommand {
    @Parameters(paramLabel = "ID", description = "The subscription's id.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.subscriptions().delete(id);
      out.either(Map.of("deleted", id), "deleted " + id);
      return ExitCode.OK;
    }
  }
}
