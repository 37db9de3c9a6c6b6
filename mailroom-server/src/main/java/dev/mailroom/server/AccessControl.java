package dev.mailroom.server;

import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.access.AclRule;
import dev.mailroom.core.access.Action;
import dev.mailroom.core.access.CustomRole;
import dev.mailroom.core.access.Grantee;
import dev.mailroom.core.access.Policy;
import dev.mailroom.core.spi.AccessStore;
import dev.mailroom.core.spi.PolicyDocument;
import dev.mailroom.core.topic.SubscriptionPattern;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The access policy in force on this node: read from the store at start, and reloaded whenever the
 * store says it changed, here or on another node ({@link TransportViews}, told before a change made
 * here returns). A change is a compare-and-set on the stored document's version, retried on a
 * conflict, so changes made at once on several nodes all land. Reads are one volatile load.
 * Thread-safe.
 */
final class AccessControl {
  private static final int MAX_TRIES = 16;

  private final AccessStore store;
  private final JsonMapper mapper;
  private volatile Policy policy;

  AccessControl(AccessStore store, JsonMapper mapper) {
    this.store = store;
    this.mapper = mapper;
    this.policy = decode(store.policy());
  }

  Policy policy() {
    return policy;
  }

  /** Reads the policy from the store again (it changed). */
  void reload() {
    adopt(decode(store.policy()));
  }

  /** Makes a policy the one in force, unless a newer one already is (changes race on nodes). */
  private synchronized void adopt(Policy candidate) {
    if (candidate.version() >= policy.version()) {
      policy = candidate;
    }
  }

  /**
   * Applies a change to the stored policy, which the store's change listener then puts in force.
   *
   * @param edit the change; may throw to refuse it (nothing is stored then)
   * @return the policy after the change
   * @throws MailroomException.Conflict if other changes kept winning the race
   */
  Policy change(UnaryOperator<Policy> edit) {
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
      PolicyDocument stored = store.policy();
      Policy next = edit.apply(decode(stored));
      OptionalLong version = store.replacePolicy(stored.version(), encode(next));
      if (version.isPresent()) {
        return next.at(version.getAsLong());
      }
    }
    throw new MailroomException.Conflict("the access policy kept changing; try again");
  }

  String encode(Policy p) {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode rules = root.putArray("rules");
    for (AclRule r : p.rules()) {
      ObjectNode n = rules.addObject();
      n.put("id", r.id());
      n.put("grantee", r.grantee().toString());
      ArrayNode actions = n.putArray("actions");
      r.orderedActions().forEach(a -> actions.add(a.wireName()));
      n.put("resource", r.resource().value());
      n.put("effect", r.effect().wireName());
      n.put("created_at", r.createdAt().toString());
      n.put("created_by", r.createdBy());
    }
    ArrayNode roles = root.putArray("roles");
    p.roles().values().stream()
        .sorted((a, b) -> a.role().name().compareTo(b.role().name()))
        .forEach(
            c -> {
              ObjectNode n = roles.addObject();
              n.put("name", c.role().name());
              n.put("description", c.description());
              n.put("created_at", c.createdAt().toString());
            });
    return mapper.writeValueAsString(root);
  }

  /** The stored document as a policy; the document was written by {@link #encode}. */
  Policy decode(PolicyDocument doc) {
    if (doc.version() == 0 || doc.content().isEmpty()) {
      return Policy.EMPTY;
    }
    JsonNode root = mapper.readTree(doc.content());
    List<AclRule> rules = new ArrayList<>();
    for (JsonNode n : root.path("rules")) {
      Set<Action> actions = EnumSet.noneOf(Action.class);
      n.path("actions").forEach(a -> actions.add(Action.parse("actions", a.asString())));
      rules.add(
          new AclRule(
              n.path("id").asString(),
              Grantee.parse("grantee", n.path("grantee").asString()),
              actions,
              SubscriptionPattern.of(n.path("resource").asString()),
              n.path("effect").asString().equals("deny")
                  ? AclRule.Effect.DENY
                  : AclRule.Effect.ALLOW,
              Instant.parse(n.path("created_at").asString()),
              n.path("created_by").asString()));
    }
    Map<Role, CustomRole> roles = new HashMap<>();
    for (JsonNode n : root.path("roles")) {
      Role role = Role.of(n.path("name").asString());
      roles.put(
          role,
          new CustomRole(
              role,
              n.path("description").asString(""),
              Instant.parse(n.path("created_at").asString())));
    }
    return new Policy(doc.version(), rules, roles);
  }
}
