package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.AgentStore;
import dev.mailroom.protocol.AgentList;
import dev.mailroom.protocol.AgentView;
import io.javalin.http.Context;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The directory: every authenticated agent lists and looks up agents (admins and the agent itself
 * see roles and token expiry too); an agent, or an admin for it, edits its profile; an admin
 * retires or deletes an agent.
 */
final class DirectoryRoutes {
  private static final Set<String> LIST_PARAMETERS =
      Set.of("limit", "cursor", "tag", "online", "retired", "q");
  private static final long MAX_BODY_BYTES = 64 * 1024;

  /** How many agents a filtered listing reads from the store at a time. */
  private static final int SCAN_BATCH = 500;

  private final AgentStore agents;
  private final AgentDirectory directory;
  private final InstantSource clock;
  private final JsonMapper mapper;
  private final HttpLimits http;

  /** Held while a deletion checks for other admins and deletes. */
  private final ReentrantLock deletions = new ReentrantLock();

  DirectoryRoutes(
      AgentStore agents,
      AgentDirectory directory,
      InstantSource clock,
      JsonMapper mapper,
      HttpLimits http) {
    this.agents = agents;
    this.directory = directory;
    this.clock = clock;
    this.mapper = mapper;
    this.http = http;
  }

  /**
   * {@code GET /v1/agents?limit=&cursor=&tag=&online=&retired=&q=}: agents by id, a page at a time.
   * Without a filter the store cuts the page; with one, agents are read in id order, a batch at a
   * time, until the page is full or none are left, so a filter that few agents match reads many.
   */
  void list(Context ctx) {
    FieldErrors errors = new FieldErrors();
    QueryParameters q = new QueryParameters(ctx.queryParamMap(), errors).allow(LIST_PARAMETERS);
    NamedPaging.Request<AgentId> r =
        NamedPaging.request(q, http, CursorCodec.Named.AGENTS, AgentId::of);
    Optional<Tag> tag = q.single("tag", Tag::of);
    Optional<Boolean> online = q.single("online", DirectoryRoutes::bool);
    Optional<Boolean> retired = q.single("retired", DirectoryRoutes::bool);
    Optional<String> prefix = q.single("q", DirectoryRoutes::prefix);
    errors.throwIfAny();

    Set<AgentId> onlineNow = directory.online();
    Predicate<AgentRecord> matches =
        a ->
            tag.map(t -> a.profile().hasTag(t)).orElse(true)
                && online.map(o -> onlineNow.contains(a.id()) == o).orElse(true)
                && retired.map(o -> a.retired() == o).orElse(true)
                && prefix.map(p -> startsWith(a, p)).orElse(true);
    boolean filtered =
        tag.isPresent() || online.isPresent() || retired.isPresent() || prefix.isPresent();
    List<AgentRecord> found =
        filtered ? scan(r.after(), r.limit() + 1, matches) : agents.list(r.after(), r.limit() + 1);
    NamedPaging.Page<AgentRecord> page =
        NamedPaging.cut(found, r.limit(), CursorCodec.Named.AGENTS, a -> a.id().value());
    List<AgentView> views = directory.views(page.items(), Exchanges.principal(ctx), onlineNow);
    Exchanges.json(ctx, mapper, 200, new AgentList(views, page.next()));
  }

  /** Up to {@code wanted} agents after {@code after} that match, reading the store in batches. */
  private List<AgentRecord> scan(
      Optional<AgentId> after, int wanted, Predicate<AgentRecord> matches) {
    List<AgentRecord> found = new ArrayList<>();
    Optional<AgentId> from = after;
    while (found.size() < wanted) {
      List<AgentRecord> batch = agents.list(from, SCAN_BATCH);
      for (AgentRecord a : batch) {
        if (matches.test(a) && found.size() < wanted) {
          found.add(a);
        }
      }
      if (batch.size() < SCAN_BATCH) {
        break;
      }
      from = Optional.of(batch.getLast().id());
    }
    return found;
  }

  private static boolean startsWith(AgentRecord a, String prefix) {
    return a.id().value().toLowerCase(Locale.ROOT).startsWith(prefix)
        || a.profile()
            .displayName()
            .map(n -> n.toLowerCase(Locale.ROOT).startsWith(prefix))
            .orElse(false);
  }

  private static boolean bool(String text) {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static String prefix(String text) {
    if (text.isEmpty() || text.length() > AgentProfile.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "must be 1 to " + AgentProfile.MAX_NAME_LENGTH + " characters");
    }
    return text.toLowerCase(Locale.ROOT);
  }

  /** {@code GET /v1/agents/{id}}: any agent may look up any other. */
  void get(Context ctx) {
    AgentId id = AgentRoutes.pathAgent(ctx);
    Exchanges.json(ctx, mapper, 200, directory.view(find(id), Exchanges.principal(ctx)));
  }

  /**
   * {@code PUT /v1/agents/{id}/profile}: replaces the agent's profile (a field absent or null is
   * unset), as {@code PUT .../roles} replaces roles. The agent itself, or an admin.
   */
  void updateProfile(Context ctx) {
    AgentId id = AgentRoutes.selfOrAdmin(ctx, "edit the profile of");
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    FieldErrors errors = new FieldErrors();
    BodyFields.of(body, errors).allow(AgentDirectory.PROFILE_FIELDS);
    Optional<AgentProfile> profile = AgentDirectory.profile(body, errors, AgentProfile.EMPTY);
    errors.throwIfAny();
    if (!agents.updateProfile(id, profile.orElseThrow())) {
      throw new MailroomException.NotFound("no agent " + id);
    }
    Exchanges.json(ctx, mapper, 200, directory.view(find(id), Exchanges.principal(ctx)));
  }

  /**
   * {@code POST /v1/agents/{id}/retire} (admins): the agent's token is revoked at once on every
   * node, it is shown as retired, and its mailbox and mail stay (retention still applies). Retiring
   * a retired agent changes nothing.
   */
  void retire(Context ctx) {
    Exchanges.requireAdmin(ctx, "retire agents");
    AgentId id = AgentRoutes.pathAgent(ctx);
    Principal caller = Exchanges.principal(ctx);
    if (caller.id().equals(id)) {
      // An admin retiring itself could lock every admin out.
      throw MailroomException.InvalidRequest.field("id", "an admin cannot retire itself");
    }
    if (!agents.retire(id, clock.instant())) {
      throw new MailroomException.NotFound("no agent " + id);
    }
    Exchanges.json(ctx, mapper, 200, directory.view(find(id), caller));
  }

  /**
   * {@code DELETE /v1/agents/{id}} (admins): the agent is gone at once on every node (its token
   * refused even where a node cached it), with what only it owns ({@link AgentStore#delete}).
   * Messages it sent to others stay, under its id. An admin cannot delete itself, nor the last
   * active admin (409): either could leave nobody able to administer the server. The checks and the
   * deletion are serialized on this node, so two admins deleting each other through one node cannot
   * both succeed.
   */
  void delete(Context ctx) {
    Exchanges.requireAdmin(ctx, "delete agents");
    AgentId id = AgentRoutes.pathAgent(ctx);
    Principal caller = Exchanges.principal(ctx);
    if (caller.id().equals(id)) {
      throw new MailroomException.Conflict("an admin cannot delete itself");
    }
    deletions.lock();
    try {
      Optional<AgentRecord> target = agents.find(id);
      if (target.isPresent() && isActiveAdmin(target.get()) && !anotherActiveAdmin(id)) {
        throw new MailroomException.Conflict(
            "agent " + id + " is the last active admin; make another agent an admin first");
      }
      if (!agents.delete(id)) {
        throw new MailroomException.NotFound("no agent " + id);
      }
    } finally {
      deletions.unlock();
    }
    ctx.status(204);
  }

  private static boolean isActiveAdmin(AgentRecord a) {
    return !a.retired() && a.roles().contains(Role.ADMIN);
  }

  /** Whether an active admin other than {@code id} exists, reading the agents a batch at a time. */
  private boolean anotherActiveAdmin(AgentId id) {
    Optional<AgentId> from = Optional.empty();
    while (true) {
      List<AgentRecord> batch = agents.list(from, SCAN_BATCH);
      for (AgentRecord a : batch) {
        if (!a.id().equals(id) && isActiveAdmin(a)) {
          return true;
        }
      }
      if (batch.size() < SCAN_BATCH) {
        return false;
      }
      from = Optional.of(batch.getLast().id());
    }
  }

  private AgentRecord find(AgentId id) {
    return agents.find(id).orElseThrow(() -> new MailroomException.NotFound("no agent " + id));
  }
}
