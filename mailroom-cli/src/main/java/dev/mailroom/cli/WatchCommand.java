package dev.mailroom.cli;

import dev.mailroom.client.Backoff;
import dev.mailroom.client.IncomingMessage;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.client.MessageStream;
import dev.mailroom.client.StreamListener;
import dev.mailroom.client.StreamOptions;
import dev.mailroom.protocol.SkippedMessage;
import dev.mailroom.protocol.StreamEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mailroom watch}: tail the caller's stream, acknowledging what it prints. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Print your messages as they arrive (what waited while you were away first), and"
          + " acknowledge each once printed. Reconnects by itself; stops on Ctrl-C, after --count"
          + " messages, or when the server refuses the token (exit 4) or another stream of the"
          + " same agent takes over (exit 7). Connection news goes to standard error, and so does"
          + " a message this client cannot decode: it is skipped, not acknowledged, and after the"
          + " server's last attempt it is dead-lettered.",
      "",
      "  mailroom watch",
      "  mailroom watch --json --count 1"
    })
final class WatchCommand extends ClientCommand {
  @Option(names = "--count", paramLabel = "N", description = "Stop after N messages.")
  @Nullable Long count;

  @Option(names = "--resume-after", paramLabel = "ID", description = "Start after this id.")
  @Nullable String resumeAfter;

  @Option(
      names = "--server-ack",
      description = "Let the server count direct messages as acknowledged once pushed.")
  boolean serverAck;

  @Override
  ExitCode run(MailroomClient client, Output out) throws Exception {
    AtomicLong printed = new AtomicLong();
    CompletableFuture<Void> finished = new CompletableFuture<>();
    // Manual acknowledgements: a message is acknowledged once printed, and one that arrives
    // after --count is reached is left for the next stream.
    StreamOptions.Builder options =
        StreamOptions.builder()
            .ackMode(StreamOptions.AckMode.MANUAL)
            .serverAutoAck(serverAck)
            .reconnect(Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(15)))
            .listener(new Status(terminal().err(), finished));
    if (resumeAfter != null) {
      options.resumeAfter(resumeAfter);
    }
    try (MessageStream stream =
        client.stream(
            options.build(),
            m -> {
              if (count == null || printed.get() < count) {
                print(m, out);
                m.ack();
                if (count != null && printed.incrementAndGet() >= count) {
                  finished.complete(null);
                }
              }
            })) {
      Thread hook = Thread.ofPlatform().unstarted(stream::close);
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        finished.get();
      } finally {
        removeHook(hook);
      }
      stream.close();
      stream.awaitTermination(Duration.ofSeconds(10));
      Optional<MailroomClientException> failure = stream.failure();
      if (failure.isPresent()) {
        throw failure.get();
      }
    }
    return ExitCode.OK;
  }

  private static void print(IncomingMessage m, Output out) {
    if (out.json()) {
      out.json(m.delivery());
    } else {
      out.line(Formats.summary(m.message()));
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running
    }
  }

  /** Connection news on standard error; completes {@code finished} when the stream stops. */
  private record Status(PrintWriter err, CompletableFuture<Void> finished)
      implements StreamListener {
    @Override
    public void connected(StreamEvent.Connected event) {
      err.println(
          "watching as "
              + event.agentId()
              + event.resumedAfter().map(id -> " (resumed after " + id + ")").orElse(""));
      err.flush();
    }

    @Override
    public void disconnected(String reason, Duration retryIn) {
      err.println(reason + "; reconnecting in " + retryIn.toMillis() + " ms");
      err.flush();
    }

    @Override
    public void handlerFailed(IncomingMessage message, Exception failure) {
      err.println("could not print " + message.id() + ": " + failure.getMessage());
      err.flush();
    }

    @Override
    public void skipped(SkippedMessage message) {
      err.println(
          Formats.skipped(message)
              + "; not acknowledged, so the server pushes it again and, after its last attempt,"
              + " moves it to the dead letters");
      err.flush();
    }

    @Override
    public void stopped(Optional<MailroomClientException> failure) {
      finished.complete(null);
    }
  }
}
