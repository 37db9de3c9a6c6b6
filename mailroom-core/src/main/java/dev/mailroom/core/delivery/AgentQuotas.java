package dev.mailroom.core.delivery;

/**
 * How much shared state one agent may hold: its subscriptions, and the topics it created that still
 * exist. An agent at a cap is refused one more ({@link
 * dev.mailroom.core.MailroomException.LimitExceeded#quota}) until it holds fewer; admins are not
 * capped, so the operator can always act. The caps are counted in the store, so they hold across
 * the nodes of one system.
 *
 * @param maxSubscriptions the most subscriptions one agent may have, at least 1
 * @param maxTopics the most existing topics one agent may have created, at least 1
 */
public record AgentQuotas(int maxSubscriptions, int maxTopics) {
  public static final int DEFAULT_MAX_SUBSCRIPTIONS = 1_000;
  public static final int DEFAULT_MAX_TOPICS = 10_000;

  public static final AgentQuotas DEFAULTS =
      new AgentQuotas(DEFAULT_MAX_SUBSCRIPTIONS, DEFAULT_MAX_TOPICS);

  /** No caps (embedding and tests that do not care). */
  public static final AgentQuotas UNLIMITED = new AgentQuotas(Integer.MAX_VALUE, Integer.MAX_VALUE);

  public AgentQuotas {
    if (maxSubscriptions < 1 || maxTopics < 1) {
      throw new IllegalArgumentException("per-agent caps must be at least 1");
    }
  }
}
