package dev.mailroom.core.access;

import dev.mailroom.core.MailboxName;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One permission rule: {@code effect} the {@code actions} on the names {@code resource} covers, for
 * {@code grantee}.
 *
 * <p>A rule covers a name when its pattern matches the name or one of the name's ancestors ({@code
 * team} covers {@code team.review.x}): permissions inherit down the hierarchy, and a rule on a
 * deeper name overrides them there.
 *
 * @param id the rule's id, given by the server
 * @param createdBy who granted it
 */
public record AclRule(
    String id,
    Grantee grantee,
    Set<Action> actions,
    SubscriptionPattern resource,
    Effect effect,
    Instant createdAt,
    String createdBy) {

  /** Whether a rule allows or denies. */
  public enum Effect {
    ALLOW,
    DENY;

    public String wireName() {
      return this == ALLOW ? "allow" : "deny";
    }
  }

  public AclRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(grantee, "grantee");
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("a rule needs at least one action");
    }
    actions = Set.copyOf(EnumSet.copyOf(actions));
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
  }

  /** The actions in their declared order, for display. */
  public List<Action> orderedActions() {
    return List.copyOf(EnumSet.copyOf(actions));
  }

  /**
   * How deep the covered ancestor-or-self of {@code name} is (its segment count), or empty if the
   * rule does not cover it. The deepest covered ancestor counts.
   */
  OptionalInt coverage(List<String> segments) {
    for (int depth = segments.size(); depth >= 1; depth--) {
      if (resource.matches(MailboxName.of(String.join(".", segments.subList(0, depth))))) {
        return OptionalInt.of(depth);
      }
    }
    return OptionalInt.empty();
  }

  /** How many literal (non-wildcard) segments its pattern has: more is more specific. */
  int literals() {
    return (int) resource.segments().stream().filter(s -> !s.startsWith("*")).count();
  }
}
