package dev.mailroom.core.spi;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.delivery.TopicConfig;
import dev.mailroom.core.delivery.TopicStats;
import java.util.List;
import java.util.Optional;

/**
 * Topics: mailboxes of kind {@link dev.mailroom.core.MailboxKind#TOPIC}, the configuration set on
 * topic names, and their statistics. A configuration may be set on a name with no topic mailbox
 * (e.g. {@code ai} above {@code ai.models.gpt4}) so that topics below it inherit it. Thread-safe;
 * writes are durable when they return.
 */
public interface TopicStore {

  /**
   * Creates the topic mailbox if it does not exist, and sets its configuration.
   *
   * @param mailbox also create the topic mailbox; false only sets the configuration on the name
   * @throws dev.mailroom.core.MailroomException.Conflict if the name is a mailbox of another kind
   */
  void configure(TopicConfig config, boolean mailbox);

  /** The configuration set on exactly this name. */
  Optional<TopicConfig> config(MailboxName name);

  /** Every configuration, ordered by name. */
  List<TopicConfig> configs();

  /** Statistics of an existing topic. */
  Optional<TopicStats> stats(MailboxName topic);

  /** Statistics of every existing topic, ordered by name. */
  List<TopicStats> topics();

  /** Raises a topic's recorded peak subscriber count to {@code subscribers} if that is higher. */
  void recordSubscribers(MailboxName topic, int subscribers);

  /**
   * Removes a topic: its mailbox, the entries of its history, its configuration and statistics
   * (messages that reached inboxes stay there). False if there was no such topic.
   */
  boolean delete(MailboxName topic);
}
