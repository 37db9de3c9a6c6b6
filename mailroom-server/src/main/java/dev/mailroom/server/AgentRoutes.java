package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.protocol.AgentCreated;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code POST /v1/agents}: an admin registers an agent and receives its token, once. */
final class AgentRoutes {
  private static final Set<String> FIELDS = Set.of("id", "roles");
  private static final long MAX_BODY_BYTES = 64 * 1024;

  private final AgentStore agents;
  private final InstantSource clock;
  private final JsonMapper mapper;

  AgentRoutes(AgentStore agents, InstantSource clock, JsonMapper mapper) {
    this.agents = agents;
    this.clock = clock;
    this.mapper = mapper;
  }

  void create(Context ctx) {
    Principal caller = Exchanges.principal(ctx);
    if (!caller.isAdmin()) {
      throw new MailroomException.Forbidden("only an admin may register agents");
    }
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    for (String name : new TreeSet<>(body.propertyNames())) {
      if (!FIELDS.contains(name)) {
        errors.add(name, "is not a known field");
      }
    }
    Optional<AgentId> id = Optional.empty();
    JsonNode idNode = body.get("id");
    if (idNode == null || idNode.isNull()) {
      errors.add("id", "is required");
    } else if (!idNode.isString()) {
      errors.add("id", "must be a string");
    } else {
      id = errors.capture("id", () -> AgentId.of(idNode.stringValue()));
      id.ifPresent(a -> Exchanges.auditResource(ctx, a.value()));
    }
    Set<Role> roles = roles(body.get("roles"), errors);
    errors.throwIfAny();

    String token = Tokens.generate();
    AgentRecord agent = new AgentRecord(id.orElseThrow(), roles, clock.instant());
    agents.create(agent, Tokens.hash(token));
    List<String> roleNames =
        new TreeSet<>(roles.stream().map(Role::name).toList()).stream().toList();
    ctx.header("Location", "/v1/agents/" + agent.id().value());
    Exchanges.json(ctx, mapper, 201, new AgentCreated(agent.id().value(), roleNames, token));
  }

  private static Set<Role> roles(JsonNode node, FieldErrors errors) {
    if (node == null || node.isNull()) {
      return Set.of(Role.AGENT);
    }
    if (!node.isArray()) {
      errors.add("roles", "must be an array of role names");
      return Set.of();
    }
    if (node.isEmpty()) {
      errors.add("roles", "must name at least one role");
      return Set.of();
    }
    Set<Role> roles = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String field = "roles[" + i + "]";
      if (!item.isString()) {
        errors.add(field, "must be a string");
      } else {
        errors.capture(field, () -> Role.of(item.stringValue())).ifPresent(roles::add);
      }
    }
    return Set.copyOf(roles);
  }
}
