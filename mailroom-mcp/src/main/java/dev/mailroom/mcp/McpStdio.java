package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server over stdio: one session, one agent (the client's token), until the input ends.
 * Output carries the protocol only; logs go wherever logging is configured (the CLI: standard
 * error).
 */
final class McpStdio implements WatchedSession {
  private static final Logger LOG = LoggerFactory.getLogger(McpStdio.class);
  private static final String SESSION = "stdio";

  private final MailroomClient client;
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final InboxWatchers watchers = new InboxWatchers(1, 1, InboxWatchers.DEFAULT_POLL_WAIT);
  private final CountDownLatch inputEnded = new CountDownLatch(1);
  private final McpSyncServer server;

  McpStdio(MailroomClient client, InputStream in, OutputStream out) {
    this.client = client;
    var transport =
        new StdioServerTransportProvider(
            json, new MessageTap(in, this::observe, inputEnded::countDown), out);
    server = McpServers.build(McpServer.sync(transport).jsonMapper(json), exchange -> client);
  }

  /** Serves until the input ends, then stops. */
  void serve() throws InterruptedException {
    try {
      inputEnded.await();
    } finally {
      watchers.close();
      server.closeGracefully();
    }
  }

  private void observe(String line) {
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json, line);
    } catch (IOException | RuntimeException e) {
      return; // the SDK answers what it cannot read
    }
    if (message instanceof McpSchema.JSONRPCRequest r) {
      InboxRequests.apply(r, this, watchers, json)
          .ifPresent(refused -> LOG.warn("inbox subscription not watched: {}", refused));
    }
  }

  @Override
  public String id() {
    return SESSION;
  }

  @Override
  public String agent() {
    return SESSION;
  }

  @Override
  public MailroomClient client() {
    return client;
  }

  @Override
  public boolean open() {
    return inputEnded.getCount() > 0;
  }

  @Override
  public boolean awaitListening(Duration max) {
    return open(); // standard output is always there
  }

  @Override
  public void inboxUpdated() {
    server.notifyResourcesUpdated(
        new McpSchema.ResourcesUpdatedNotification(MailroomMcp.INBOX_URI));
  }
}
