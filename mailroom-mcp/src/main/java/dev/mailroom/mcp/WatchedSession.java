package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import java.time.Duration;

/** An MCP session that subscribed to the inbox resource, as its {@link InboxWatchers} sees it. */
interface WatchedSession {
  /** The session's id (unique among the sessions of one transport). */
  String id();

  /** The agent the session acts as. */
  String agent();

  /** A client acting as the session's agent, with the latest token the session used. */
  MailroomClient client();

  /** Whether the session still exists. */
  boolean open();

  /**
   * Waits until the session can receive notifications (its client listens) or {@code max} passes.
   *
   * @return whether it can
   */
  boolean awaitListening(Duration max) throws InterruptedException;

  /** Sends {@code notifications/resources/updated} for the inbox to the session's client. */
  void inboxUpdated();
}
