package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.access.Policy;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.protocol.AgentCreated;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/agents}: an admin registers agents (each receives its token, once, and may be given a
 * profile) and sets their roles; an agent, or an admin for it, rotates or revokes its token. The
 * directory's routes (listing, profiles, retirement) are {@link DirectoryRoutes}.
 */
final class AgentRoutes {
  private static final Set<String> FIELDS = fields("id", "roles", "token_ttl_seconds");
  private static final Set<String> TOKEN_FIELDS = Set.of("ttl_seconds");
  private static final Set<String> ROLE_FIELDS = Set.of("roles");
  private static final long MAX_BODY_BYTES = 64 * 1024;
  private static final long MAX_TTL_SECONDS = Duration.ofDays(3650).toSeconds();

  private final AgentStore agents;
  private final InstantSource clock;
  private final JsonMapper mapper;
  private final Optional<Duration> defaultTokenTtl;
  private final Supplier<Policy> policy;
  private final AgentDirectory directory;

  /**
   * @param defaultTokenTtl the lifetime of a token issued without one
   * @param policy the access policy in force (which roles exist)
   * @param directory how agents are shown
   */
  AgentRoutes(
      AgentStore agents,
      InstantSource clock,
      JsonMapper mapper,
      Optional<Duration> defaultTokenTtl,
      Supplier<Policy> policy,
      AgentDirectory directory) {
    this.agents = agents;
    this.clock = clock;
    this.mapper = mapper;
    this.defaultTokenTtl = defaultTokenTtl;
    this.policy = policy;
    this.directory = directory;
  }

  /** {@code POST /v1/agents}. */
  void create(Context ctx) {
    Exchanges.requireAdmin(ctx, "register agents");
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields fields = BodyFields.of(body, errors).allow(FIELDS);
    Optional<AgentId> id =
        fields.requiredString("id").flatMap(s -> errors.capture("id", () -> AgentId.of(s)));
    id.ifPresent(a -> Exchanges.auditResource(ctx, a.value()));
    Set<Role> roles = roles(body.get("roles"), errors, Set.of(Role.AGENT));
    Optional<Duration> ttl = ttl(fields, "token_ttl_seconds");
    Optional<AgentProfile> profile = AgentDirectory.profile(body, errors, AgentProfile.EMPTY);
    errors.throwIfAny();

    String token = Tokens.generate();
    Instant now = clock.instant();
    AgentRecord agent =
        new AgentRecord(id.orElseThrow(), roles, now, ttl.map(now::plus))
            .withProfile(profile.orElseThrow());
    agents.create(agent, Tokens.hash(token));
    ctx.header("Location", "/v1/agents/" + agent.id().value());
    Exchanges.json(ctx, mapper, 201, issued(agent, token));
  }

  /** {@code GET /v1/whoami}: the caller's own record. */
  void whoami(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    Exchanges.json(ctx, mapper, 200, directory.view(find(caller.id()), caller));
  }

  /** {@code POST /v1/agents/{id}/token}: a new token, which replaces the current one at once. */
  void rotateToken(Context ctx) {
    AgentId id = selfOrAdmin(ctx, "rotate the token of");
    FieldErrors errors = new FieldErrors();
    Optional<Duration> ttl = defaultTokenTtl;
    if (hasBody(ctx)) {
      ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
      ttl = ttl(BodyFields.of(body, errors).allow(TOKEN_FIELDS), "ttl_seconds");
    }
    errors.throwIfAny();
    if (find(id).retired()) {
      // A retired agent stays retired: its mail is kept for admins, not for a new token.
      throw new MailroomException.Conflict(
          "agent " + id + " is retired; no token is issued to a retired agent");
    }
    String token = Tokens.generate();
    Instant now = clock.instant();
    Optional<Instant> expiresAt = ttl.map(now::plus);
    if (!agents.replaceToken(id, Tokens.hash(token), expiresAt)) {
      throw new MailroomException.NotFound("no agent " + id);
    }
    AgentRecord agent = find(id);
    Exchanges.json(ctx, mapper, 201, issued(agent, token));
  }

  /** {@code DELETE /v1/agents/{id}/token}: no token authenticates the agent until the next one. */
  void revokeToken(Context ctx) {
    AgentId id = selfOrAdmin(ctx, "revoke the token of");
    if (!agents.revokeToken(id)) {
      throw new MailroomException.NotFound("no agent " + id);
    }
    ctx.status(204);
  }

  /** {@code PUT /v1/agents/{id}/roles}: replaces an agent's roles (admins only). */
  void replaceRoles(Context ctx) {
    Exchanges.requireAdmin(ctx, "set roles");
    AgentId id = pathAgent(ctx);
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields.of(body, errors).allow(ROLE_FIELDS);
    JsonNode given = body.get("roles");
    if (given == null || given.isNull()) {
      // Replacing the roles with nothing would leave an agent that may do nothing at all.
      errors.add("roles", "is required: an array naming at least one role");
    }
    Set<Role> roles = roles(given, errors, Set.of());
    errors.throwIfAny();
    if (!agents.replaceRoles(id, roles)) {
      throw new MailroomException.NotFound("no agent " + id);
    }
    Exchanges.json(ctx, mapper, 200, directory.view(find(id), Exchanges.principal(ctx)));
  }

  private AgentRecord find(AgentId id) {
    return agents.find(id).orElseThrow(() -> new MailroomException.NotFound("no agent " + id));
  }

  private static boolean hasBody(Context ctx) {
    return ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  static AgentId pathAgent(Context ctx) {
    FieldErrors errors = new FieldErrors();
    Optional<AgentId> id = errors.capture("id", () -> AgentId.of(ctx.pathParam("id")));
    errors.throwIfAny();
    return id.orElseThrow();
  }

  /** The agent named in the path, if the caller is that agent or an admin. */
  static AgentId selfOrAdmin(Context ctx, String what) {
    AgentId id = pathAgent(ctx);
    Principal caller = Exchanges.principal(ctx);
    if (!caller.isAdmin() && !caller.id().equals(id)) {
      throw new MailroomException.Forbidden(
          "only the agent itself or an admin may " + what + " it");
    }
    return id;
  }

  private Optional<Duration> ttl(BodyFields fields, String name) {
    return fields
        .integer(name, 1, MAX_TTL_SECONDS)
        .map(Duration::ofSeconds)
        .or(() -> defaultTokenTtl);
  }

  static AgentCreated issued(AgentRecord agent, String token) {
    return new AgentCreated(
        agent.id().value(), AgentDirectory.names(agent.roles()), token, agent.tokenExpiresAt());
  }

  /** {@code names} and the profile's fields. */
  static Set<String> fields(String... names) {
    Set<String> all = new TreeSet<>(AgentDirectory.PROFILE_FIELDS);
    all.addAll(List.of(names));
    return Set.copyOf(all);
  }

  /** Parses a list of roles that exist; {@code absent} when the field is missing or null. */
  Set<Role> roles(JsonNode node, FieldErrors errors, Set<Role> absent) {
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isArray()) {
      errors.add("roles", "must be an array of role names");
      return Set.of();
    }
    if (node.isEmpty()) {
      errors.add("roles", "must name at least one role");
      return Set.of();
    }
    var known = policy.get();
    Set<Role> roles = new TreeSet<>(Comparator.comparing(Role::name));
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String field = "roles[" + i + "]";
      if (!item.isString()) {
        errors.add(field, "must be a string");
        continue;
      }
      Optional<Role> role = errors.capture(field, () -> Role.of(item.stringValue()));
      if (role.isPresent() && !known.knows(role.get())) {
        errors.add(field, "no role '" + role.get() + "' (create it with POST /v1/roles)");
      } else {
        role.ifPresent(roles::add);
      }
    }
    return Set.copyOf(roles);
  }
}
