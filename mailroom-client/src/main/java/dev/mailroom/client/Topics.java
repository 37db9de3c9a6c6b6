package dev.mailroom.client;

import dev.mailroom.protocol.CreateTopicRequest;
import dev.mailroom.protocol.SubscriptionView;
import dev.mailroom.protocol.TopicTree;
import dev.mailroom.protocol.TopicView;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Hierarchical topics ({@code /v1/topics}): create, configure, list as a tree, inspect, delete,
 * join and leave. Immutable and thread-safe. Every method throws {@link MailroomClientException} on
 * failure.
 */
public final class Topics {
  private final Rest rest;

  Topics(Rest rest) {
    this.rest = rest;
  }

  /**
   * Creates a topic ({@code POST /v1/topics}), or, for an admin, replaces an existing topic's
   * configuration.
   */
  public TopicView create(String name, TopicSettings settings) {
    return rest.post("v1", "topics")
        .body(CreateTopicRequest.of(name, settings.toConfig()))
        .fetch(TopicView.class);
  }

  /**
   * Sets a topic's configuration ({@code PUT /v1/topics/{name}}), creating the topic if it does not
   * exist; replacing an existing topic's configuration is for admins.
   */
  public TopicView configure(String name, TopicSettings settings) {
    return rest.put("v1", "topics", name).body(settings.toConfig()).fetch(TopicView.class);
  }

  /**
   * Every topic the caller may see, as one tree of name segments, fetched page by page: with no
   * {@code nextCursor}.
   */
  public TopicTree list() {
    TopicTree tree = new TopicTree(List.of());
    for (Iterator<TopicTree> pages = pages("", PageRequest.first()); pages.hasNext(); ) {
      tree = tree.plus(pages.next());
    }
    return tree;
  }

  /** One page of the topics the caller may see, by name, as a tree of that page's topics. */
  public TopicTree list(PageRequest page) {
    return list("", page);
  }

  /**
   * One page of the topics the caller may see whose names start with {@code prefix} ({@code ""} for
   * all), by name, as a tree of that page's topics.
   */
  public TopicTree list(String prefix, PageRequest page) {
    return rest.get("v1", "topics")
        .query("prefix", Optional.of(prefix).filter(p -> !p.isEmpty()))
        .query(page.parameters())
        .fetch(TopicTree.class);
  }

  /** Every page from {@code first} of the topics under {@code prefix}, fetched as iterated. */
  public Iterator<TopicTree> pages(String prefix, PageRequest first) {
    return new Pager<>(
        cursor -> list(prefix, cursor.map(first::withCursor).orElse(first)), TopicTree::nextCursor);
  }

  /**
   * Every topic the caller may see whose name starts with {@code prefix} ({@code ""} for all), by
   * name, fetched page by page as the stream is read.
   */
  public Stream<TopicView> all(String prefix) {
    return Pager.items(pages(prefix, PageRequest.first()), TopicTree::topicsByName);
  }

  /** One topic: its configuration, the settings in force and its statistics. */
  public TopicView get(String name) {
    return rest.get("v1", "topics", name).fetch(TopicView.class);
  }

  /** Deletes a topic and its history (admins only). */
  public void delete(String name) {
    rest.delete("v1", "topics", name).send();
  }

  /**
   * Subscribes the caller to the topic's exact name with the defaults. If it had joined already,
   * answers that subscription.
   */
  public SubscriptionView join(String name) {
    return join(name, SubscriptionSettings.defaults());
  }

  /**
   * Subscribes the caller to the topic's exact name. If it had joined already, answers that
   * subscription unchanged (leave and join again to change its settings).
   */
  public SubscriptionView join(String name, SubscriptionSettings settings) {
    return rest.post("v1", "topics", name, "join")
        .body(settings.toRequest(Optional.empty()))
        .fetch(SubscriptionView.class);
  }

  /** Removes every subscription the caller has to exactly this name. */
  public void leave(String name) {
    rest.post("v1", "topics", name, "leave").send();
  }
}
