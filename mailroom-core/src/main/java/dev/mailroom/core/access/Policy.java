package dev.mailroom.core.access;

import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The permission rules and custom roles in force, and how they decide. Immutable and thread-safe.
 *
 * <p>How a request is decided:
 *
 * <ol>
 *   <li>An admin may do everything, and an agent everything with its own personal mailbox; no rule
 *       changes that (so nobody can lock themselves or the operator out).
 *   <li>Otherwise the most specific rule that applies to the caller and the action and covers the
 *       name decides: the rule covering the deepest ancestor-or-self of the name, then the one with
 *       more literal segments, then one naming the agent over one naming a role over one for
 *       everyone, then deny over allow.
 *   <li>Without such a rule, the built-in defaults: everyone may read and subscribe to shared
 *       mailboxes and topics; holders of the {@code agent} role may also send to them and to other
 *       agents' mailboxes; configuring or deleting a topic, and reading another agent's mailbox,
 *       need a rule (or the admin role).
 * </ol>
 *
 * A mailbox or topic is made private by denying everyone on it and allowing its members.
 */
public record Policy(long version, List<AclRule> rules, Map<Role, CustomRole> roles) {
  public static final Set<Role> BUILT_IN_ROLES = Set.of(Role.ADMIN, Role.AGENT, Role.OBSERVER);
  public static final Policy EMPTY = new Policy(0, List.of(), Map.of());

  private static final Comparator<Candidate> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt(Candidate::depth)
          .thenComparingInt(c -> c.rule().literals())
          .thenComparingInt(c -> -c.rule().grantee().kind().ordinal())
          .thenComparingInt(c -> c.rule().effect() == AclRule.Effect.DENY ? 1 : 0)
          .reversed();

  /** A rule that applies to a request, and how deep it covers the name. */
  public record Candidate(AclRule rule, int depth) {}

  /** A decision with every rule that was weighed, the deciding one first. */
  public record Explanation(Decision decision, List<Candidate> considered) {}

  public Policy {
    rules = List.copyOf(rules);
    roles = Map.copyOf(roles);
  }

  public Optional<AclRule> rule(String id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /** Whether a role exists: built in, or created by an admin. */
  public boolean knows(Role role) {
    return BUILT_IN_ROLES.contains(role) || roles.containsKey(role);
  }

  /**
   * May {@code who} do {@code action} on the mailbox or topic {@code name}?
   *
   * @param kind what the name is; {@link MailboxKind#SHARED} or {@link MailboxKind#TOPIC} for a
   *     name that does not exist yet
   */
  public Decision decide(Principal who, Action action, MailboxName name, MailboxKind kind) {
    return explain(who, action, name, kind).decision();
  }

  /** {@link #decide}, with the rules that were weighed. */
  public Explanation explain(Principal who, Action action, MailboxName name, MailboxKind kind) {
    if (who.isAdmin()) {
      return new Explanation(Decision.allow("admins may do everything"), List.of());
    }
    if (kind == MailboxKind.AGENT && who.id().mailbox().equals(name)) {
      return new Explanation(
          Decision.allow("an agent may do everything with its own mailbox"), List.of());
    }
    List<Candidate> considered = candidates(who, action, name.segments());
    Decision decision =
        considered.isEmpty()
            ? byDefault(who, action, kind)
            : Decision.by(considered.getFirst().rule());
    return new Explanation(decision, considered);
  }

  /**
   * May {@code who} subscribe to {@code pattern}? Decided on the pattern's literal prefix ({@code
   * team} for {@code team.*.review}); a pattern that starts with a wildcard is decided by rules on
   * {@code **} alone. What such a subscription delivers is still limited, message by message, to
   * what its agent may read.
   */
  public Explanation explainSubscribe(Principal who, SubscriptionPattern pattern) {
    List<String> prefix = literalPrefix(pattern);
    if (!prefix.isEmpty()) {
      return explain(
          who, Action.SUBSCRIBE, MailboxName.of(String.join(".", prefix)), MailboxKind.TOPIC);
    }
    if (who.isAdmin()) {
      return new Explanation(Decision.allow("admins may do everything"), List.of());
    }
    List<Candidate> considered = new ArrayList<>();
    for (AclRule rule : rules) {
      if (rule.actions().contains(Action.SUBSCRIBE)
          && rule.grantee().covers(who)
          && rule.resource().value().equals("**")) {
        considered.add(new Candidate(rule, 0));
      }
    }
    considered.sort(MOST_SPECIFIC_FIRST);
    Decision decision =
        considered.isEmpty()
            ? byDefault(who, Action.SUBSCRIBE, MailboxKind.TOPIC)
            : Decision.by(considered.getFirst().rule());
    return new Explanation(decision, List.copyOf(considered));
  }

  /**
   * Whether some rule might refuse {@code action} on {@code name} to a caller the defaults allow.
   * When not, every non-admin caller the defaults allow is allowed without looking them up.
   */
  public boolean mayRestrict(Action action, MailboxName name) {
    if (rules.isEmpty()) {
      return false;
    }
    List<String> segments = name.segments();
    for (AclRule rule : rules) {
      if (rule.effect() == AclRule.Effect.DENY
          && rule.actions().contains(action)
          && rule.coverage(segments).isPresent()) {
        return true;
      }
    }
    return false;
  }

  private List<Candidate> candidates(Principal who, Action action, List<String> segments) {
    List<Candidate> found = new ArrayList<>();
    for (AclRule rule : rules) {
      if (!rule.actions().contains(action) || !rule.grantee().covers(who)) {
        continue;
      }
      OptionalInt depth = rule.coverage(segments);
      if (depth.isPresent()) {
        found.add(new Candidate(rule, depth.getAsInt()));
      }
    }
    found.sort(MOST_SPECIFIC_FIRST);
    return List.copyOf(found);
  }

  private static Decision byDefault(Principal who, Action action, MailboxKind kind) {
    boolean agent = who.roles().contains(Role.AGENT);
    if (kind == MailboxKind.AGENT) {
      return action == Action.WRITE && agent
          ? Decision.allow("by default, agents may send to other agents")
          : Decision.deny("by default, only its owner may " + verb(action) + " an agent's mailbox");
    }
    return switch (action) {
      case READ, SUBSCRIBE ->
          Decision.allow(
              "by default, everyone may " + verb(action) + " shared mailboxes and topics");
      case WRITE ->
          agent
              ? Decision.allow("by default, agents may send to shared mailboxes and topics")
              : Decision.deny(
                  "by default, only holders of the agent role may send; no rule allows it");
      case ADMIN ->
          Decision.deny("by default, only admins may configure or delete; no rule allows it");
    };
  }

  private static String verb(Action action) {
    return switch (action) {
      case READ -> "read";
      case WRITE -> "send to";
      case SUBSCRIBE -> "subscribe to";
      case ADMIN -> "administer";
    };
  }

  private static List<String> literalPrefix(SubscriptionPattern pattern) {
    List<String> prefix = new ArrayList<>();
    for (String s : pattern.segments()) {
      if (s.startsWith("*")) {
        break;
      }
      prefix.add(s);
    }
    return prefix;
  }

  /** This policy with a rule added. */
  public Policy with(AclRule rule) {
    List<AclRule> next = new ArrayList<>(rules);
    next.add(rule);
    return new Policy(version, next, roles);
  }

  /** This policy without a rule. */
  public Policy without(String ruleId) {
    return new Policy(version, rules.stream().filter(r -> !r.id().equals(ruleId)).toList(), roles);
  }

  /** This policy with a custom role added or replaced. */
  public Policy with(CustomRole role) {
    Map<Role, CustomRole> next = new HashMap<>(roles);
    next.put(role.role(), role);
    return new Policy(version, rules, next);
  }

  /** This policy without a custom role and the rules granted to it. */
  public Policy withoutRole(Role role) {
    Map<Role, CustomRole> next = new HashMap<>(roles);
    next.remove(role);
    Grantee grantee = Grantee.role(role);
    return new Policy(
        version, rules.stream().filter(r -> !r.grantee().equals(grantee)).toList(), next);
  }

  /** This policy at another version. */
  public Policy at(long newVersion) {
    return new Policy(newVersion, rules, roles);
  }
}
