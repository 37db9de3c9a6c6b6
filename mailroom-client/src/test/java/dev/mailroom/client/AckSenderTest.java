package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AckSenderTest {
  /** A connection whose sends complete when the test says. */
  static final class FakeConnection implements AckSender.FrameSender {
    final List<String> frames = new ArrayList<>();
    final List<CompletableFuture<Object>> sends = new ArrayList<>();

    @Override
    public CompletableFuture<?> sendText(String text) {
      frames.add(text);
      CompletableFuture<Object> f = new CompletableFuture<>();
      sends.add(f);
      return f;
    }
  }

  private @Nullable FakeConnection connection;
  private final AckSender sender =
      new AckSender(() -> Optional.ofNullable(connection), Json.mapper());

  private static List<String> ids(String frame) {
    List<String> ids = new ArrayList<>();
    Json.mapper().readTree(frame).get("ids").forEach(n -> ids.add(n.asString()));
    return ids;
  }

  @Test
  void idsGatheredWhileAFrameIsOnItsWayGoInTheNextFrameTogether() {
    FakeConnection c = new FakeConnection();
    connection = c;
    sender.add("a");
    sender.add("b");
    sender.add("c");
    assertThat(c.frames).hasSize(1);
    assertThat(Json.mapper().readTree(c.frames.getFirst()).get("type").asString()).isEqualTo("ack");
    assertThat(ids(c.frames.getFirst())).containsExactly("a");

    c.sends.getFirst().complete(null);
    assertThat(c.frames).hasSize(2);
    assertThat(ids(c.frames.get(1))).containsExactly("b", "c");
    c.sends.get(1).complete(null);
    assertThat(sender.pending()).isZero();
  }

  @Test
  void withoutAConnectionIdsWaitAndAFailedFrameIsSentAgainOnTheNextConnection() {
    sender.add("a");
    assertThat(sender.pending()).isEqualTo(1);

    FakeConnection first = new FakeConnection();
    connection = first;
    sender.flush();
    sender.add("b");
    first.sends.getFirst().completeExceptionally(new IOException("connection lost"));
    assertThat(sender.pending()).isEqualTo(2);

    FakeConnection second = new FakeConnection();
    connection = second;
    sender.flush();
    assertThat(ids(second.frames.getFirst())).containsExactly("a", "b");
  }

  @Test
  void oneFrameCarriesAtMostTheServersLimit() {
    FakeConnection c = new FakeConnection();
    for (int i = 0; i < AckSender.MAX_PER_FRAME + 5; i++) {
      sender.add("m" + i);
    }
    connection = c;
    sender.flush();
    assertThat(ids(c.frames.getFirst())).hasSize(AckSender.MAX_PER_FRAME);
    c.sends.getFirst().complete(null);
    assertThat(ids(c.frames.get(1))).hasSize(5);
  }

  @Test
  void afterALostConnectionTheLastIdsSentOverItAreSentAgain() {
    FakeConnection first = new FakeConnection();
    connection = first;
    sender.add("a");
    first.sends.getFirst().complete(null);
    sender.add("b");
    first.sends.get(1).complete(null);
    sender.connectionLost();
    connection = null;
    sender.add("c");
    assertThat(sender.pending()).isEqualTo(3);

    FakeConnection second = new FakeConnection();
    connection = second;
    sender.flush();
    assertThat(ids(second.frames.getFirst())).containsExactly("a", "b", "c");
    second.sends.getFirst().complete(null);
    sender.connectionLost();
    assertThat(sender.pending()).isEqualTo(3);
  }
}
