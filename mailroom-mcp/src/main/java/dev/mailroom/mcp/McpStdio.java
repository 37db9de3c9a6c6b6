package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The MCP server over stdio: one session, one agent (the client's token), until the input ends. It
 * runs on the agent's own machine, so its tools may read and write that machine's files ({@link
 * LocalFiles#ofThisProcess}): they upload attachments by path and save attachments to paths. Every
 * line is checked before the SDK sees it ({@link StdioInput}): a malformed one is answered with a
 * JSON-RPC error and the session goes on. Output carries the protocol only, one whole message a
 * line ({@link StdioOutput}); logs go wherever logging is configured (the CLI: standard error).
 */
final class McpStdio implements WatchedSession {
  private static final String SESSION = "stdio";

  private final MailroomClient client;
  private final McpJsonMapper json = McpJsonDefaults.getMapper();
  private final InboxWatchers watchers = new InboxWatchers(1, 1, InboxWatchers.DEFAULT_POLL_WAIT);
  private final CountDownLatch inputEnded = new CountDownLatch(1);
  private final McpSyncServer server;

  McpStdio(MailroomClient client, InputStream in, OutputStream out) {
    this.client = client;
    var output = new StdioOutput(out, json);
    var input =
        new StdioInput(
            in,
            JsonRpcChecks.MAX_MESSAGE_BYTES,
            json,
            output,
            this::observe,
            inputEnded::countDown);
    // the SDK's limit counts characters, never more than a line's bytes: what passes fits it
    var transport =
        new StdioServerTransportProvider(
            json, input, output.sdkStream(), JsonRpcChecks.MAX_MESSAGE_BYTES);
    server =
        McpServers.build(
            McpServer.sync(transport).jsonMapper(json),
            exchange -> client,
            LocalFiles.ofThisProcess());
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

  /** A subscription to the inbox that cannot be watched is refused here, as over HTTP. */
  private Optional<String> observe(McpSchema.JSONRPCMessage message) {
    return message instanceof McpSchema.JSONRPCRequest r
        ? InboxRequests.apply(r, this, watchers, json)
        : Optional.empty();
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
