package dev.mailroom.client;

import dev.mailroom.protocol.AgentStats;
import dev.mailroom.protocol.MailboxStatsView;
import dev.mailroom.protocol.SystemStats;

/**
 * Statistics: of the whole system ({@code GET /v1/stats}, admins only), of one mailbox ({@code GET
 * /v1/mailboxes/{name}/stats}, for whoever may read it) and of one agent ({@code GET
 * /v1/agents/{id}/stats}, for the agent itself or an admin). Counts come from the store, so every
 * node answers the same; rates, open streams and last-seen times are those of the node that
 * answered, which each answer names. Immutable and thread-safe. Every method throws {@link
 * MailroomClientException} on failure.
 */
public final class Stats {
  private final Rest rest;

  Stats(Rest rest) {
    this.rest = rest;
  }

  /**
   * The system's counts, the answering node's rates over the last minute and the largest backlogs
   * (admins only). Counting the agents reads every agent record, so on a very large system this
   * call is not cheap: do not poll it often.
   */
  public SystemStats system() {
    return rest.get("v1", "stats").fetch(SystemStats.class);
  }

  /**
   * One mailbox: how many messages it holds and ever received, how many were dropped, how many
   * deliveries of its messages wait for an acknowledgement, how many are unread, and their ages.
   *
   * @param name an agent's id, a shared mailbox's name or a topic
   */
  public MailboxStatsView mailbox(String name) {
    return rest.get("v1", "mailboxes", name, "stats").fetch(MailboxStatsView.class);
  }

  /**
   * One agent: when the answering node last saw it, its stream on that node if one is open, and its
   * pending deliveries through its inbox and each of its subscriptions (the agent itself or an
   * admin).
   */
  public AgentStats agent(String id) {
    return rest.get("v1", "agents", id, "stats").fetch(AgentStats.class);
  }
}
