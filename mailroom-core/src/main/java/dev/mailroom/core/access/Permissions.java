package dev.mailroom.core.access;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.Principal;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The services' view of the access policy: checks for callers, and for agents a message would
 * reach. Reads the current {@link Policy} on every check, so a change applies to the next request.
 * Thread-safe.
 */
public final class Permissions {
  private final Supplier<Policy> policy;
  private final AgentStore agents;
  private final MessageStore messages;

  /**
   * @param policy the policy in force, read on every check
   * @param agents where the roles of agents a message reaches are looked up (cache it)
   * @param messages where the kind of a message's target mailbox is looked up
   */
  public Permissions(Supplier<Policy> policy, AgentStore agents, MessageStore messages) {
    this.policy = policy;
    this.agents = agents;
    this.messages = messages;
  }

  /** Built-in defaults only, with no rules. */
  public static Permissions defaults(AgentStore agents, MessageStore messages) {
    return new Permissions(() -> Policy.EMPTY, agents, messages);
  }

  public Policy policy() {
    return policy.get();
  }

  /**
   * Refuses what the policy does not allow.
   *
   * @throws MailroomException.Forbidden saying why
   */
  public void require(Principal who, Action action, MailboxName name, MailboxKind kind) {
    Decision d = policy.get().decide(who, action, name, kind);
    if (!d.allowed()) {
      throw new MailroomException.Forbidden(
          "you may not " + action.wireName() + " " + name + ": " + d.reason());
    }
  }

  /**
   * Refuses a subscription the policy does not allow.
   *
   * @throws MailroomException.Forbidden saying why
   */
  public void requireSubscribe(Principal who, SubscriptionPattern pattern) {
    Decision d = policy.get().explainSubscribe(who, pattern).decision();
    if (!d.allowed()) {
      throw new MailroomException.Forbidden(
          "you may not subscribe to " + pattern + ": " + d.reason());
    }
  }

  /**
   * Whether the caller may know that a topic or shared mailbox exists: it may read it or subscribe
   * to it (admins may always). Asks the policy only when some rule could refuse reading it.
   */
  public boolean maySee(Principal who, MailboxName name, MailboxKind kind) {
    if (who.isAdmin()) {
      return true;
    }
    Policy p = policy.get();
    if (kind != MailboxKind.AGENT && !p.mayRestrict(Action.READ, name)) {
      return true; // the defaults let everyone read shared mailboxes and topics
    }
    return p.decide(who, Action.READ, name, kind).allowed()
        || p.decide(who, Action.SUBSCRIBE, name, kind).allowed();
  }

  /** Whether the caller may read a message: its own, sent by it, or where it may read. */
  public boolean mayRead(Principal who, Message message) {
    if (who.isAdmin() || who.id().equals(message.sender())) {
      return true;
    }
    Optional<MailboxName> target = message.target();
    if (target.isEmpty()) {
      return messages.contains(who.id().mailbox(), message.id()); // a broadcast it received
    }
    if (target.get().equals(who.id().mailbox())) {
      return true;
    }
    MailboxKind kind =
        messages.mailbox(target.get()).map(box -> box.kind()).orElse(MailboxKind.SHARED);
    return policy.get().decide(who, Action.READ, target.get(), kind).allowed();
  }

  /**
   * Whether an agent may read a message pushed to it: messages in its own mailbox always; others by
   * the policy, looking the agent up only when some rule could refuse it.
   */
  public boolean mayRead(AgentId agent, Message message) {
    Optional<MailboxName> target = message.target();
    if (target.isEmpty() || target.get().equals(agent.mailbox())) {
      return true;
    }
    if (!policy.get().mayRestrict(Action.READ, target.get())) {
      return true;
    }
    return agents
        .find(agent)
        .map(AgentRecord::principal)
        .map(p -> mayRead(p, message))
        .orElse(false);
  }

  /**
   * The recipients a message to a shared mailbox or topic may reach: those who may read it there.
   */
  public List<Recipient> readers(MailboxName target, MailboxKind kind, List<Recipient> recipients) {
    Policy p = policy.get();
    if (recipients.isEmpty() || !p.mayRestrict(Action.READ, target)) {
      return recipients;
    }
    List<Recipient> allowed = new ArrayList<>(recipients.size());
    for (Recipient r : recipients) {
      Optional<AgentRecord> agent = agents.find(r.agent());
      if (agent.isPresent()
          && p.decide(agent.get().principal(), Action.READ, target, kind).allowed()) {
        allowed.add(r);
      }
    }
    return allowed;
  }
}
