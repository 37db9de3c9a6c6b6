package dev.mailroom.client;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentList;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.CreateAgentRequest;
import dev.mailroom.protocol.EnrollRequest;
import dev.mailroom.protocol.ProfileRequest;
import dev.mailroom.protocol.RolesRequest;
import dev.mailroom.protocol.TokenRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Agents, their tokens and the directory ({@code /v1/agents}). Registering, retiring and setting
 * roles are for admins; every agent may list and look up agents (roles and token expiry only of
 * itself, unless an admin), edit its own profile, and rotate or revoke its own token. A client
 * whose token is an enrollment secret may {@link #enroll} one agent per use of it. Profiles are the
 * agents' own words: untrusted text. A token appears only in the answer that issues it ({@link
 * AgentCreated#token()}). Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
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

  /** One page of the directory, by id, keeping only the agents {@code filter} matches. */
  public AgentList list(AgentFilter filter, PageRequest page) {
    return rest.get("v1", "agents")
        .query(filter.parameters())
        .query(page.parameters())
        .fetch(AgentList.class);
  }

  /** Every page of the directory that {@code filter} keeps from {@code first}, as iterated. */
  public Iterator<AgentList> pages(AgentFilter filter, PageRequest first) {
    return new Pager<>(
        cursor -> list(filter, cursor.map(first::withCursor).orElse(first)), AgentList::nextCursor);
  }

  /** Every agent {@code filter} matches, by id, fetched page by page as the stream is read. */
  public Stream<AgentView> all(AgentFilter filter) {
    return Pager.items(pages(filter, PageRequest.first()), AgentList::agents);
  }

  /** One agent (any agent may look up any other). */
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

  /** Replaces an agent's profile (the agent itself, or an admin); a field left empty is unset. */
  public AgentView updateProfile(String id, ProfileRequest profile) {
    return rest.put("v1", "agents", id, "profile").body(profile).fetch(AgentView.class);
  }

  /**
   * Retires an agent (admins): its token is revoked on every node, its mail is kept, and it shows
   * as retired.
   */
  public AgentView retire(String id) {
    return rest.post("v1", "agents", id, "retire").fetch(AgentView.class);
  }

  /**
   * Deletes an agent (admins): it is gone on every node at once, with its token, profile,
   * subscriptions, read marks, reservations and mailbox (messages no other mailbox holds go with
   * it); what it sent to others stays. Its id may be registered again afterwards.
   *
   * @throws MailroomClientException of kind {@link MailroomClientException.Kind#CONFLICT} for the
   *     caller itself or the last active admin, {@link MailroomClientException.Kind#NOT_FOUND} for
   *     an unknown agent
   */
  public void delete(String id) {
    rest.delete("v1", "agents", id).send();
  }

  /**
   * Registers an agent with one use of the enrollment secret this client holds as its token; the
   * answer holds the new agent's own token, shown this once.
   */
  public AgentCreated enroll(EnrollRequest request) {
    return rest.post("v1", "agents", "enroll").body(request).fetch(AgentCreated.class);
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
