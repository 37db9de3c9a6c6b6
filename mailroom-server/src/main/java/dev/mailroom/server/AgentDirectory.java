package dev.mailroom.server;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.AgentProfile;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import dev.mailroom.core.Tag;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.server.stream.Presence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the directory shows agents and reads their profiles from request bodies. A view joins the
 * agent's record with presence (online from any node, last seen), and shows roles and the token's
 * expiry only to admins and to the agent itself: roles say who may do what, which a peer has no
 * need to know (docs/SECURITY.md). Thread-safe.
 */
final class AgentDirectory {
  /** The profile's fields in a request body, flat beside the others. */
  static final Set<String> PROFILE_FIELDS =
      Set.of("display_name", "description", "program", "model", "tags");

  private final Presence presence;

  AgentDirectory(Presence presence) {
    this.presence = presence;
  }

  /** Who is online now, from every node: read once per answer. */
  Set<AgentId> online() {
    try {
      return presence.online();
    } catch (MailroomException.Unavailable e) {
      return Set.of(); // presence is advisory: a listing still answers while it cannot be read
    }
  }

  /** When each of these agents was last seen. */
  Map<AgentId, Instant> lastSeen(Collection<AgentId> agents) {
    try {
      return presence.store().lastSeen(agents);
    } catch (MailroomException.Unavailable e) {
      return Map.of();
    }
  }

  /** One agent as {@code viewer} may see it. */
  AgentView view(AgentRecord agent, Principal viewer) {
    return views(List.of(agent), viewer).getFirst();
  }

  /** These agents as {@code viewer} may see them, with one presence read for all. */
  List<AgentView> views(List<AgentRecord> agents, Principal viewer) {
    return agents.isEmpty() ? List.of() : views(agents, viewer, online());
  }

  /** {@link #views}, with who is online read already. */
  List<AgentView> views(List<AgentRecord> agents, Principal viewer, Set<AgentId> online) {
    if (agents.isEmpty()) {
      return List.of();
    }
    Map<AgentId, Instant> seen = lastSeen(agents.stream().map(AgentRecord::id).toList());
    return agents.stream()
        .map(a -> view(a, viewer, online.contains(a.id()), Optional.ofNullable(seen.get(a.id()))))
        .toList();
  }

  static AgentView view(
      AgentRecord a, Principal viewer, boolean online, Optional<Instant> lastSeen) {
    boolean full = viewer.isAdmin() || viewer.id().equals(a.id());
    AgentProfile p = a.profile();
    return new AgentView(
        a.id().value(),
        full ? names(a.roles()) : List.of(),
        a.createdAt(),
        full ? a.tokenExpiresAt() : Optional.empty(),
        p.displayName(),
        p.description(),
        p.program(),
        p.model(),
        p.tags().stream().map(Tag::value).toList(),
        lastSeen,
        online,
        a.retiredAt());
  }

  static List<String> names(Set<Role> roles) {
    return new TreeSet<>(roles.stream().map(Role::name).toList()).stream().toList();
  }

  /**
   * The profile a body gives, field by field over {@code base}: a field absent keeps {@code
   * base}'s, a field set to null clears it. Errors name the field; the text given is never echoed.
   */
  static Optional<AgentProfile> profile(ObjectNode body, FieldErrors errors, AgentProfile base) {
    int before = errors.size();
    Optional<String> displayName = text(body, "display_name", errors, base.displayName());
    Optional<String> description = text(body, "description", errors, base.description());
    Optional<String> program = text(body, "program", errors, base.program());
    Optional<String> model = text(body, "model", errors, base.model());
    List<Tag> tags = tags(body, errors, base.tags());
    if (errors.size() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(new AgentProfile(displayName, description, program, model, tags));
    } catch (MailroomException.InvalidRequest e) {
      e.errors().forEach(err -> errors.add(err.field(), err.message()));
      return Optional.empty();
    }
  }

  private static Optional<String> text(
      ObjectNode body, String field, FieldErrors errors, Optional<String> base) {
    if (!body.has(field)) {
      return base;
    }
    JsonNode n = body.get(field);
    if (n.isNull()) {
      return Optional.empty();
    }
    if (!n.isString()) {
      errors.add(field, "must be a string or null");
      return Optional.empty();
    }
    return Optional.of(n.asString());
  }

  private static List<Tag> tags(ObjectNode body, FieldErrors errors, List<Tag> base) {
    if (!body.has("tags")) {
      return base;
    }
    JsonNode n = body.get("tags");
    if (n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      errors.add("tags", "must be an array of tags");
      return List.of();
    }
    if (n.size() > AgentProfile.MAX_TAGS) {
      errors.add("tags", "holds " + n.size() + " tags; at most " + AgentProfile.MAX_TAGS);
      return List.of();
    }
    List<Tag> tags = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      String field = "tags[" + i + "]";
      if (!item.isString()) {
        errors.add(field, "must be a string");
        continue;
      }
      errors.capture(field, () -> Tag.of(item.asString())).ifPresent(tags::add);
    }
    return tags;
  }
}
