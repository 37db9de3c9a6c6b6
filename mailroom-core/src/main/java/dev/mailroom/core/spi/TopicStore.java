package dev.mailroom.core.spi;

import dev.mailroom.core.AgentId;
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

  /** What {@link #create} did. */
  enum Creation {
    /** The topic was created, and counted as its creator's. */
    CREATED,
    /** A topic of that name exists already; nothing changed. */
    EXISTS,
    /** The creator has created its maximum of topics that still exist; nothing changed. */
    AT_LIMIT
  }

  /**
   * Creates the topic mailbox, without configuration, and records who created it, unless it exists
   * or the creator has created {@code maxPerCreator} or more topics that still exist. The count and
   * the write are one atomic step. A topic removed ({@link #delete}) no longer counts.
   *
   * @throws dev.mailroom.core.MailroomException.Conflict if the name is a mailbox of another kind
   */
  Creation create(MailboxName name, AgentId creator, int maxPerCreator);

  /** How many existing topics {@code creator} created through {@link #create}. */
  int createdBy(AgentId creator);

  /**
   * Statistics of at most {@code limit} existing topics whose names start with {@code prefix}
   * (every topic for {@code ""}), ordered by name, after {@code after} (exclusive) when given.
   */
  List<TopicStats> topics(String prefix, Optional<MailboxName> after, int limit);

  /** The configuration set on exactly this name. */
  Optional<TopicConfig> config(MailboxName name);

  /** Every configuration, ordered by name. */
  List<TopicConfig> configs();

  /** Statistics of an existing topic. */
  Optional<TopicStats> stats(MailboxName topic);

  /** Statistics of every existing topic, ordered by name. */
  default List<TopicStats> topics() {
    return topics("", Optional.empty(), Integer.MAX_VALUE);
  }

  /** Raises a topic's recorded peak subscriber count to {@code subscribers} if that is higher. */
  void recordSubscribers(MailboxName topic, int subscribers);

  /**
   * Removes a topic: its mailbox, the entries of its history, its configuration and statistics
   * (messages that reached inboxes stay there). False if there was no such topic.
   */
  boolean delete(MailboxName topic);
}
