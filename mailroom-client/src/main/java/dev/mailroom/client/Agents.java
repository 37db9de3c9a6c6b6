package dev.mailroom.client;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentList;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.CreateAgentRequest;
import dev.mailroom.protocol.RolesRequest;
import dev.mailroom.protocol.TokenRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Agents and their tokens ({@code /v1/agents}). Registering, listing and setting roles are for
 * admins; an agent may see itself and rotate or revoke its own token. A token appears only in the
 * answer that issues it ({@link AgentCreated#token()}). Immutable and thread-safe. Every method
 * throws {@link MailroomClientException} on failure.
 */
public final class Agents {
  private final Rest rest;

  Agents(Rest rest) {
    this.rest = rest;
  }

  /** Registers an agent with the {@code agent} role; the answer holds its token. */
  public AgentCreated create(String id) {
    return create(new CreateAgentRequest(id, Optional.empty(), Optional.empty()));
  }

  /** Registers an agent with these roles; the answer holds its token. */
  public AgentCreated create(String id, List<String> roles) {
    return create(new CreateAgentRequest(id, Optional.of(roles), Optional.empty()));
  }

  /** Registers an agent from the wire body (roles and token lifetime optional). */
  public AgentCreated create(CreateAgentRequest request) {
    return rest.post("v1", "agents").body(request).fetch(AgentCreated.class);
  }

  /** Every agent, by id, fetched page by page: one list, with no {@code nextCursor}. */
  public AgentList list() {
    return new AgentList(all().toList());
  }

  /** One page of the agents, by id. */
  public AgentList list(PageRequest page) {
    return rest.get("v1", "agents").query(page.parameters()).fetch(AgentList.class);
  }

  /** Every page of the agents from {@code first}, fetched as iterated. */
  public Iterator<AgentList> pages(PageRequest first) {
    return new Pager<>(
        cursor -> list(cursor.map(first::withCursor).orElse(first)), AgentList::nextCursor);
  }

  /** Every agent, by id, fetched page by page as the stream is read. */
  public Stream<AgentView> all() {
    return Pager.items(pages(PageRequest.first()), AgentList::agents);
  }

  /** One agent (an admin, or the agent itself). */
  public AgentView get(String id) {
    return rest.get("v1", "agents", id).fetch(AgentView.class);
  }

  /** The caller's own record ({@code GET /v1/whoami}): who this client's token is. */
  public AgentView whoami() {
    return rest.get("v1", "whoami").fetch(AgentView.class);
  }

  /** Replaces an agent's roles. */
  public AgentView replaceRoles(String id, List<String> roles) {
    return rest.put("v1", "agents", id, "roles")
        .body(new RolesRequest(roles))
        .fetch(AgentView.class);
  }

  /** Issues a new token with the server's default lifetime; the old one stops working at once. */
  public AgentCreated rotateToken(String id) {
    return rest.post("v1", "agents", id, "token").fetch(AgentCreated.class);
  }

  /** Issues a new token that expires after {@code ttl} (whole seconds). */
  public AgentCreated rotateToken(String id, Duration ttl) {
    return rest.post("v1", "agents", id, "token")
        .body(new TokenRequest(Optional.of(ttl.toSeconds())))
        .fetch(AgentCreated.class);
  }

  /** Revokes the agent's token: none authenticates it until an admin rotates it. */
  public void revokeToken(String id) {
    rest.delete("v1", "agents", id, "token").send();
  }
}
