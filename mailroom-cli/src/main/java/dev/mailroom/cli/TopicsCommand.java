package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TopicSettings;
import dev.mailroom.protocol.SubscriptionView;
import dev.mailroom.protocol.TopicTree;
import dev.mailroom.protocol.TopicView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom topics}: hierarchical topics. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "List, show, create, configure, delete, join and leave topics.",
    subcommands = {
      TopicsCommand.ListTopics.class,
      TopicsCommand.Show.class,
      TopicsCommand.Create.class,
      TopicsCommand.Configure.class,
      TopicsCommand.Delete.class,
      TopicsCommand.Join.class,
      TopicsCommand.Leave.class
    })
final class TopicsCommand extends CommandGroup {

  /** A topic's own configuration; what is left out is inherited. */
  static final class Config {
    @Option(names = "--description", paramLabel = "TEXT", description = "Free text.")
    @Nullable String description;

    @Option(
        names = "--retention",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "How long its messages live by default: 90s, 10m, 2h, 7d.")
    @Nullable Duration retention;

    @Option(names = "--max-subscribers", paramLabel = "N", description = "Agents that may join.")
    @Nullable Integer maxSubscribers;

    @Option(
        names = "--cleanup-after",
        paramLabel = "DURATION",
        converter = Durations.class,
        description = "Removed after this long without messages and subscribers.")
    @Nullable Duration cleanupAfter;

    TopicSettings settings() {
      TopicSettings.Builder b = TopicSettings.builder();
      Optional.ofNullable(description).ifPresent(b::description);
      Optional.ofNullable(retention).ifPresent(b::retention);
      Optional.ofNullable(maxSubscribers).ifPresent(b::maxSubscribers);
      Optional.ofNullable(cleanupAfter).ifPresent(b::cleanupAfter);
      return b.build();
    }
  }

  /** {@code create} and {@code configure}: a name, a configuration, the topic printed. */
  abstract static class Configuring extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The topic.")
    String name = "";

    @Mixin Config config;

    abstract TopicView apply(MailroomClient client, TopicSettings settings);

    @Override
    ExitCode run(MailroomClient client, Output out) {
      TopicView t = apply(client, config.settings());
      if (out.json()) {
        out.json(t);
      } else {
        describe(t).forEach(out::line);
      }
      return ExitCode.OK;
    }
  }

  static List<String> describe(TopicView t) {
    List<String> lines = new ArrayList<>();
    lines.add("name:            " + t.name());
    t.config().description().ifPresent(d -> lines.add("description:     " + d));
    lines.add(
        "retention:       "
            + t.settings().retentionSeconds()
            + " s"
            + (t.config().retentionSeconds().isPresent() ? "" : " (inherited)"));
    lines.add(
        "max subscribers: "
            + t.settings().maxSubscribers()
            + (t.config().maxSubscribers().isPresent() ? "" : " (inherited)"));
    lines.add(
        "cleanup after:   "
            + t.settings().cleanupAfterSeconds()
            + " s"
            + (t.config().cleanupAfterSeconds().isPresent() ? "" : " (inherited)"));
    lines.add("messages:        " + t.stats().messages());
    lines.add(
        "subscribers:     "
            + t.stats().subscribers()
            + " (peak "
            + t.stats().peakSubscribers()
            + ")");
    lines.add("last message:    " + Formats.time(t.stats().lastMessageAt()));
    lines.add("created:         " + Formats.time(t.stats().createdAt()));
    return lines;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The topics you may see, as a tree: a page at a time, or --all of them.")
  static final class ListTopics extends ClientCommand {
    @Mixin Paging paging;

    @Option(
        names = "--prefix",
        paramLabel = "TEXT",
        description = "Only topics whose names start with this, e.g. ai.")
    String prefix = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      if (paging.all) {
        TopicTree all = new TopicTree(List.of());
        try (Progress progress = new Progress(terminal(), "topics")) {
          for (Iterator<TopicTree> pages = client.topics().pages(prefix, paging.page());
              pages.hasNext(); ) {
            TopicTree page = pages.next();
            all = all.plus(page);
            progress.advance(page.topicsByName().size());
          }
        }
        if (out.json()) {
          out.json(all);
        } else {
          all.topics().forEach(n -> print(n, 0, out));
        }
        return ExitCode.OK;
      }
      TopicTree page = client.topics().list(prefix, paging.page());
      if (out.json()) {
        out.json(page);
        return ExitCode.OK;
      }
      page.topics().forEach(n -> print(n, 0, out));
      Paging.more(page.nextCursor(), terminal());
      return ExitCode.OK;
    }

    private static void print(TopicTree.Node node, int depth, Output out) {
      String stats =
          node.topic()
              .map(
                  t ->
                      "  ("
                          + t.stats().messages()
                          + " messages, "
                          + t.stats().subscribers()
                          + " subscribers)")
              .orElse("");
      out.line("  ".repeat(depth) + node.segment() + stats);
      node.children().forEach(c -> print(c, depth + 1, out));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One topic.")
  static final class Show extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The topic.")
    String name = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      TopicView t = client.topics().get(name);
      if (out.json()) {
        out.json(t);
      } else {
        describe(t).forEach(out::line);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a topic (an admin: or replace an existing topic's configuration).",
        "",
        "  mailroom topics create ai.models.gpt4 --description 'GPT-4 news'"
      })
  static final class Create extends Configuring {
    @Override
    TopicView apply(MailroomClient client, TopicSettings settings) {
      return client.topics().create(name, settings);
    }
  }

  @Command(
      name = "configure",
      mixinStandardHelpOptions = true,
      description = {
        "Set a topic's configuration, replacing what it had (admins; creates a missing topic).",
        "",
        "  mailroom topics configure ai --retention 1d --max-subscribers 50"
      })
  static final class Configure extends Configuring {
    @Override
    TopicView apply(MailroomClient client, TopicSettings settings) {
      return client.topics().configure(name, settings);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete (admins).")
  static final class Delete extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The topic.")
    String name = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.topics().delete(name);
      out.either(Map.of("deleted", name), "deleted topic " + name);
      return ExitCode.OK;
    }
  }

  @Command(
      name = "join",
      mixinStandardHelpOptions = true,
      description = "Subscribe to the topic's exact name (again: shows that subscription).")
  static final class Join extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The topic.")
    String name = "";

    @Mixin SubscriptionOptions options;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      SubscriptionView s = client.topics().join(name, options.settings());
      out.either(s, "joined " + name + " as " + s.id() + " (" + s.deliveryMode() + ")");
      return ExitCode.OK;
    }
  }

  @Command(
      name = "leave",
      mixinStandardHelpOptions = true,
      description = "Remove your subscriptions to the topic's exact name.")
  static final class Leave extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The topic.")
    String name = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      client.topics().leave(name);
      out.either(Map.of("left", name), "left " + name);
      return ExitCode.OK;
    }
  }
}
