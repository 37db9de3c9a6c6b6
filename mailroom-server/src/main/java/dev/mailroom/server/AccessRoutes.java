package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Role;
import dev.mailroom.core.access.AclRule;
import dev.mailroom.core.access.Action;
import dev.mailroom.core.access.CustomRole;
import dev.mailroom.core.access.Grantee;
import dev.mailroom.core.access.Policy;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.core.spi.MessageStore;
import dev.mailroom.core.topic.SubscriptionPattern;
import dev.mailroom.protocol.AccessExplanation;
import dev.mailroom.protocol.AclRuleList;
import dev.mailroom.protocol.AclRuleView;
import dev.mailroom.protocol.RoleList;
import dev.mailroom.protocol.RoleView;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/acl} and {@code /v1/roles} (admins only): grant, revoke, list and explain permissions;
 * create, list and delete custom roles. Changes apply at once on every node.
 */
final class AccessRoutes {
  private static final Set<String> RULE_FIELDS = Set.of("grantee", "actions", "resource", "effect");
  private static final Set<String> ROLE_FIELDS = Set.of("name", "description");
  private static final Set<String> EXPLAIN_PARAMETERS = Set.of("agent", "action", "resource");
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private static final int MAX_RULES = 10_000;
  private static final int MAX_DESCRIPTION = 1_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String MANAGE = "manage permissions and roles";
  private static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor");

  /** The most members one role of {@code GET /v1/roles} names. */
  static final int MAX_MEMBERS = 100;

  /** The most holders the refusal to delete a held role names. */
  private static final int HOLDERS_NAMED = 10;

  /** The order roles are listed in: the built-in ones first, each group by name. */
  private static final Comparator<Role> ROLE_ORDER =
      Comparator.comparing((Role r) -> !Policy.BUILT_IN_ROLES.contains(r))
          .thenComparing(Role::name);

  private final AccessControl access;
  private final AgentStore agents;
  private final MessageStore messages;
  private final InstantSource clock;
  private final JsonMapper mapper;
  private final HttpLimits http;

  AccessRoutes(
      AccessControl access,
      AgentStore agents,
      MessageStore messages,
      InstantSource clock,
      JsonMapper mapper,
      HttpLimits http) {
    this.access = access;
    this.agents = agents;
    this.messages = messages;
    this.clock = clock;
    this.mapper = mapper;
    this.http = http;
  }

  /** {@code GET /v1/acl}. */
  void listRules(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    FieldErrors errors = new FieldErrors();
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    errors.throwIfAny();
    Policy p = access.policy();
    Exchanges.json(
        ctx,
        mapper,
        200,
        new AclRuleList(p.version(), p.rules().stream().map(AccessRoutes::view).toList()));
  }

  /** {@code POST /v1/acl}: grants (or denies) actions on a name pattern. */
  void grant(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(RULE_FIELDS);
    Optional<Grantee> grantee =
        fields
            .requiredString("grantee")
            .flatMap(s -> errors.capture("grantee", () -> Grantee.parse("grantee", s)));
    Optional<SubscriptionPattern> resource =
        fields
            .requiredString("resource")
            .flatMap(s -> errors.capture("resource", () -> SubscriptionPattern.of(s)));
    Set<Action> actions = actions(body.get("actions"), errors);
    AclRule.Effect effect =
        fields
            .string("effect")
            .map(
                e ->
                    switch (e) {
                      case "allow" -> AclRule.Effect.ALLOW;
                      case "deny" -> AclRule.Effect.DENY;
                      default -> {
                        errors.add("effect", "must be allow or deny");
                        yield AclRule.Effect.ALLOW;
                      }
                    })
            .orElse(AclRule.Effect.ALLOW);
    errors.throwIfAny();
    AclRule rule =
        new AclRule(
            newRuleId(),
            grantee.orElseThrow(),
            actions,
            resource.orElseThrow(),
            effect,
            now(),
            Exchanges.principal(ctx).id().value());
    access.change(
        p -> {
          if (rule.grantee().kind() == Grantee.Kind.ROLE
              && !p.knows(Role.of(rule.grantee().name()))) {
            throw MailroomException.InvalidRequest.field(
                "grantee",
                "no role '" + rule.grantee().name() + "' (create it with POST /v1/roles)");
          }
          if (p.rules().size() >= MAX_RULES) {
            throw MailroomException.LimitExceeded.tooLarge(
                "the policy holds its maximum of " + MAX_RULES + " rules");
          }
          return p.with(rule);
        });
    Exchanges.auditResource(ctx, rule.id());
    ctx.header("Location", "/v1/acl/" + rule.id());
    Exchanges.json(ctx, mapper, 201, view(rule));
  }

  /** {@code DELETE /v1/acl/{id}}. */
  void revoke(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    String id = ctx.pathParam("id");
    access.change(
        p -> {
          if (p.rule(id).isEmpty()) {
            throw new MailroomException.NotFound("no rule " + id);
          }
          return p.without(id);
        });
    ctx.status(204);
  }

  /** {@code GET /v1/acl/explain?agent=&action=&resource=}: may the agent, and why. */
  void explain(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(EXPLAIN_PARAMETERS);
    Optional<AgentId> agent = q.required("agent", AgentId::of);
    Optional<Action> action = q.required("action", s -> Action.parse("action", s));
    Optional<String> resource = q.required("resource", s -> s);
    errors.throwIfAny();
    Exchanges.auditResource(ctx, resource.get());
    AgentRecord who =
        agents
            .find(agent.orElseThrow())
            .orElseThrow(() -> new MailroomException.NotFound("no agent " + agent.get()));
    Policy p = access.policy();
    Policy.Explanation e;
    if (action.get() == Action.SUBSCRIBE) {
      SubscriptionPattern pattern =
          errors.capture("resource", () -> SubscriptionPattern.of(resource.get())).orElse(null);
      errors.throwIfAny();
      e = p.explainSubscribe(who.principal(), pattern);
    } else {
      MailboxName name =
          errors.capture("resource", () -> MailboxName.of(resource.get())).orElse(null);
      errors.throwIfAny();
      MailboxKind kind = messages.mailbox(name).map(box -> box.kind()).orElse(kindOfNew(name));
      e = p.explain(who.principal(), action.get(), name, kind);
    }
    Exchanges.json(
        ctx,
        mapper,
        200,
        new AccessExplanation(
            who.id().value(),
            action.get().wireName(),
            resource.get(),
            e.decision().allowed(),
            e.decision().reason(),
            e.decision().rule().map(AccessRoutes::view),
            e.considered().stream().map(c -> view(c.rule())).toList()));
  }

  /** A name nobody has used yet is an agent's mailbox if an agent has that id, else shared. */
  private MailboxKind kindOfNew(MailboxName name) {
    return name.isAgentShaped() && agents.find(AgentId.of(name.value())).isPresent()
        ? MailboxKind.AGENT
        : MailboxKind.SHARED;
  }

  /**
   * {@code GET /v1/roles?limit=&cursor=}: the roles, built-in ones first, each group by name, a
   * page at a time; each names at most {@value #MAX_MEMBERS} of its members (the first by id) and
   * counts them all, so that a role every agent holds keeps the answer small.
   */
  void listRoles(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    NamedPaging.Request<Role> r = NamedPaging.request(q, http, CursorCodec.Named.ROLES, Role::of);
    errors.throwIfAny();
    Policy p = access.policy();
    List<Role> fetched =
        Stream.concat(Policy.BUILT_IN_ROLES.stream(), p.roles().keySet().stream())
            .distinct()
            .filter(role -> r.after().isEmpty() || ROLE_ORDER.compare(role, r.after().get()) > 0)
            .sorted(ROLE_ORDER)
            .limit(r.limit() + 1L)
            .toList();
    NamedPaging.Page<Role> page =
        NamedPaging.cut(fetched, r.limit(), CursorCodec.Named.ROLES, Role::name);
    Map<Role, RoleMembers.Holders> holders = RoleMembers.of(agents, page.items(), MAX_MEMBERS);
    List<RoleView> views = new ArrayList<>(page.items().size());
    for (Role role : page.items()) {
      boolean builtIn = Policy.BUILT_IN_ROLES.contains(role);
      RoleMembers.Holders h = holders.get(role);
      views.add(
          new RoleView(
              role.name(),
              builtIn,
              builtIn ? builtInDescription(role) : p.roles().get(role).description(),
              h.first(),
              h.count()));
    }
    Exchanges.json(ctx, mapper, 200, new RoleList(views, page.next()));
  }

  /** {@code POST /v1/roles}: a custom role. */
  void createRole(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(ROLE_FIELDS);
    Optional<Role> role =
        fields.requiredString("name").flatMap(s -> errors.capture("name", () -> Role.of(s)));
    String description = fields.string("description").orElse("");
    if (description.length() > MAX_DESCRIPTION) {
      errors.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    errors.throwIfAny();
    CustomRole created = new CustomRole(role.orElseThrow(), description, now());
    access.change(
        p -> {
          if (p.knows(created.role())) {
            throw new MailroomException.Conflict("role " + created.role() + " exists");
          }
          return p.with(created);
        });
    Exchanges.auditResource(ctx, created.role().name());
    ctx.header("Location", "/v1/roles/" + created.role());
    Exchanges.json(
        ctx, mapper, 201, new RoleView(created.role().name(), false, description, List.of()));
  }

  /** {@code DELETE /v1/roles/{name}}: a custom role nobody holds, with the rules granted to it. */
  void deleteRole(Context ctx) {
    Exchanges.requireAdmin(ctx, MANAGE);
    FieldErrors errors = new FieldErrors();
    Optional<Role> role = errors.capture("name", () -> Role.of(ctx.pathParam("name")));
    errors.throwIfAny();
    Role r = role.orElseThrow();
    if (Policy.BUILT_IN_ROLES.contains(r)) {
      throw new MailroomException.Conflict("role " + r + " is built in and cannot be deleted");
    }
    RoleMembers.Holders holders = RoleMembers.of(agents, List.of(r), HOLDERS_NAMED).get(r);
    if (holders.count() > 0) {
      throw new MailroomException.Conflict("role " + r + " is still held by " + holders.describe());
    }
    access.change(
        p -> {
          if (!p.roles().containsKey(r)) {
            throw new MailroomException.NotFound("no role " + r);
          }
          return p.withoutRole(r);
        });
    ctx.status(204);
  }

  private static String builtInDescription(Role r) {
    return switch (r.name()) {
      case "admin" -> "may do everything";
      case "agent" -> "reads its own mailbox; sends to agents, shared mailboxes and topics";
      default -> "reads and subscribes to shared mailboxes and topics; sends nothing";
    };
  }

  private static Set<Action> actions(JsonNode node, FieldErrors errors) {
    if (node == null || node.isNull()) {
      errors.add("actions", "is required");
      return Set.of();
    }
    if (!node.isArray() || node.isEmpty()) {
      errors.add("actions", "must be a non-empty array of read, write, subscribe, admin");
      return Set.of();
    }
    Set<Action> actions = EnumSet.noneOf(Action.class);
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String field = "actions[" + i + "]";
      if (!item.isString()) {
        errors.add(field, "must be a string");
      } else {
        errors
            .capture(field, () -> Action.parse(field, item.stringValue()))
            .ifPresent(actions::add);
      }
    }
    return actions;
  }

  /** Times in answers have millisecond precision, as everywhere in the API. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String newRuleId() {
    return "r" + Long.toString(RANDOM.nextLong() >>> 1, 36);
  }

  static AclRuleView view(AclRule r) {
    return new AclRuleView(
        r.id(),
        r.grantee().toString(),
        r.orderedActions().stream().map(Action::wireName).toList(),
        r.resource().value(),
        r.effect().wireName(),
        r.createdAt(),
        r.createdBy());
  }
}
