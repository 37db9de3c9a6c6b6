package dev.mailroom.server.stream;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Message;

/** What an open stream may still do: checked for every push and when tokens change. */
public interface StreamAccess {
  /** Whether the agent may read this message now; a stream withholds what it may not. */
  boolean mayRead(AgentId agent, Message message);

  /** Whether the token (by hash) a stream was opened with still authenticates its agent. */
  boolean tokenValid(AgentId agent, String tokenHash);
}
