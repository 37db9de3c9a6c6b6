package dev.mailroom.core.delivery;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.spi.DeliveryStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.topic.TopicIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions of one node, in memory for matching: a {@link TopicIndex} from pattern to
 * subscription, loaded from the store at start and kept in step with it by {@link #add} and {@link
 * #remove}. The store stays the record; this is its index.
 *
 * <p>Thread-safe: matching runs concurrently with changes, each match seeing the subscriptions of
 * one instant.
 */
public final class SubscriptionIndex {
  private static final Comparator<Subscription> PUSH_FIRST_THEN_ID =
      Comparator.comparing((Subscription s) -> !s.mode().pushes())
          .thenComparing(s -> s.id().value());

  private final TopicIndex<Subscription> index = TopicIndex.create();
  private final Map<SubscriptionId, Subscription> byId = new ConcurrentHashMap<>();

  /** An index of every subscription the store holds. */
  public static SubscriptionIndex load(DeliveryStore store) {
    SubscriptionIndex loaded = new SubscriptionIndex();
    store.subscriptions().forEach(loaded::add);
    return loaded;
  }

  public void add(Subscription subscription) {
    byId.put(subscription.id(), subscription);
    index.add(subscription.pattern(), subscription);
  }

  public void remove(Subscription subscription) {
    index.remove(subscription.pattern(), subscription);
    byId.remove(subscription.id());
  }

  /** Makes the index hold exactly {@code all} (the store's subscriptions, read again). */
  public void sync(Collection<Subscription> all) {
    Map<SubscriptionId, Subscription> wanted = new HashMap<>();
    all.forEach(s -> wanted.put(s.id(), s));
    for (Subscription held : List.copyOf(byId.values())) {
      if (!held.equals(wanted.get(held.id()))) {
        remove(held);
      }
    }
    wanted.values().stream().filter(s -> !byId.containsKey(s.id())).forEach(this::add);
  }

  public Optional<Subscription> get(SubscriptionId id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** An agent's subscriptions, by id. */
  public List<Subscription> of(AgentId agent) {
    return byId.values().stream()
        .filter(s -> s.agent().equals(agent))
        .sorted(Comparator.comparing(s -> s.id().value()))
        .toList();
  }

  /** Every subscription whose pattern matches the name. */
  public Set<Subscription> matching(MailboxName name) {
    return index.match(name);
  }

  /** How many distinct agents subscribe to a name. */
  public int subscriberCount(MailboxName name) {
    return (int) index.match(name).stream().map(Subscription::agent).distinct().count();
  }

  /**
   * Who a message from {@code sender} sent to {@code target} reaches: one recipient per agent whose
   * subscription matches the name and lets the message through its filter, the sender excluded. An
   * agent with several such subscriptions gets the message once, through a pushing one if it has
   * one, else through the one with the lowest id.
   */
  public List<Recipient> recipients(MailboxName target, AgentId sender, Draft draft) {
    Set<Subscription> matched = index.match(target);
    if (matched.isEmpty()) {
      return List.of();
    }
    Map<AgentId, Subscription> chosen = new LinkedHashMap<>();
    List<Subscription> candidates = new ArrayList<>(matched);
    candidates.sort(PUSH_FIRST_THEN_ID);
    for (Subscription s : candidates) {
      if (!s.agent().equals(sender) && passes(s.filter(), sender, draft)) {
        chosen.putIfAbsent(s.agent(), s);
      }
    }
    List<Recipient> recipients = new ArrayList<>(chosen.size());
    for (Subscription s : chosen.values()) {
      recipients.add(new Recipient(s.agent(), s.id(), s.mode().pushes(), s.maxQueueSize()));
    }
    return recipients;
  }

  /** The content parts of a subscription filter (the only parts a subscription may set). */
  static boolean passes(MessageFilter filter, AgentId sender, Draft draft) {
    return filter.sender().map(sender::equals).orElse(true)
        && filter.minPriority().map(p -> draft.priority().compareTo(p) >= 0).orElse(true)
        && filter.contentType().map(t -> t == draft.contentType()).orElse(true)
        && draft.tags().containsAll(filter.tags());
  }
}
