package dev.mailroom.client;

import dev.mailroom.protocol.MessageView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;

/** Records for unit tests. */
final class Fixtures {
  private Fixtures() {}

  /** A direct text message from alice to bob. */
  static MessageView message(String id, Optional<String> threadId) {
    return new MessageView(
        id,
        Instant.EPOCH,
        "alice",
        "direct",
        Optional.of("bob"),
        "text/plain",
        Optional.empty(),
        JsonNodeFactory.instance.stringNode("hi"),
        "normal",
        List.of(),
        JsonNodeFactory.instance.objectNode(),
        Instant.EPOCH,
        threadId,
        Optional.empty(),
        Optional.empty());
  }
}
