package dev.mailroom.core;

/**
 * An agent's id: 1–64 characters of {@code A-Z a-z 0-9 _ -}. It is also the name of the agent's
 * personal mailbox.
 */
public record AgentId(String value) implements Comparable<AgentId> {
  public AgentId {
    if (value.isEmpty()
        || value.length() > Names.MAX_AGENT_ID
        || !Names.SEGMENT.matcher(value).matches()) {
      throw Names.invalid(
          "agent_id", value, "is not a valid agent id (1-64 characters of A-Z a-z 0-9 _ -)");
    }
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  /** The agent's personal mailbox. */
  public MailboxName mailbox() {
    return MailboxName.of(value);
  }

  @Override
  public int compareTo(AgentId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
