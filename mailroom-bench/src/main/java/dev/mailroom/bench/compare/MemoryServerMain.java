package dev.mailroom.bench.compare;

import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import dev.mailroom.testkit.InMemoryStorage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code mailroom-memory} system's server process: Mailroom's server on the testkit's in-memory
 * store, on 127.0.0.1 at the port given, with the admin token and inbox bound that {@link
 * MailroomSystem} passes in its environment ({@code MAILROOM_ADMIN_TOKEN}, {@code
 * MAILROOM_RETENTION_MAX_INBOX_SIZE}). It runs until the process is stopped.
 *
 * <p>Usage: {@code MemoryServerMain <port> <data-dir>}.
 */
public final class MemoryServerMain {
  private MemoryServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: MemoryServerMain <port> <data-dir>");
      System.exit(2);
    }
    RetentionPolicy retention =
        RetentionPolicy.DEFAULTS.withMaxInboxSize(
            Integer.parseInt(System.getenv("MAILROOM_RETENTION_MAX_INBOX_SIZE")));
    MailroomServer server =
        MailroomServer.start(
            ServerConfig.builder()
                .host("127.0.0.1")
                .port(Integer.parseInt(args[0]))
                .dataDir(Path.of(args[1]))
                .adminToken(System.getenv("MAILROOM_ADMIN_TOKEN"))
                .retention(retention)
                .storage(InMemoryStorage.create(Clock.systemUTC(), retention))
                .build());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "memory-server-stop"));
    stopped.await();
  }
}
