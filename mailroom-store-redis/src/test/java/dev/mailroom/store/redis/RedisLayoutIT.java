package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.ThreadId;
import dev.mailroom.core.search.SearchQuery;
import dev.mailroom.core.search.SearchRequest;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.testkit.redis.RedisServer;
import dev.mailroom.testkit.redis.SharedRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a namespace gets its number of shards, and keeps it. */
class RedisLayoutIT {
  private final RedisServer redis = SharedRedis.standalone();

  @Test
  void aNewNamespaceKeepsTheCountItWasCreatedWith() {
    String ns = "layout-" + UUID.randomUUID();
    try (RedisStorage first = open(ns, 8)) {
      assertThat(first.shards()).isEqualTo(8);
    }
    try (RedisStorage later = open(ns, 32)) {
      assertThat(later.shards()).isEqualTo(8);
    }
  }

  /**
   * A namespace written before shards existed has data under {@code {namespace}:} and no layout: it
   * keeps one shard, there, and what it holds is read as before.
   */
  @Test
  void aNamespaceFromBeforeShardsKeepsOneShardWhereItsKeysAre() {
    String ns = "legacy-" + UUID.randomUUID();
    MessageId id;
    try (RedisStorage old = open(ns, 1)) {
      id = sendHello(old);
    }
    Nodes.on(redis, c -> c.sync().del("{" + ns + "}:layout"));
    Boolean stored = Nodes.on(redis, c -> c.sync().hexists("{" + ns + "}:msgs", Codec.hex(id)));
    assertThat(stored).isTrue();

    try (RedisStorage upgraded = open(ns, 16)) {
      assertThat(upgraded.shards()).isEqualTo(1);
      assertThat(upgraded.messages().find(id)).isPresent();
      assertThat(upgraded.messages().contains(MailboxName.of("bob"), id)).isTrue();
      assertThat(upgraded.deliveries().pending(AgentId.of("bob"), Optional.empty(), 10)).hasSize(1);
      MessageId next = send(upgraded, "again");
      assertThat(next).isGreaterThan(id);
    }
  }

  /**
   * Messages stored before the thread index existed are indexed once, when a node opens the
   * namespace: their threads are whole, and the messages without a thread stay out of them.
   */
  @Test
  void messagesStoredBeforeTheThreadIndexAreIndexedOnceOnOpen() {
    String ns = "threads-" + UUID.randomUUID();
    List<MessageId> threaded = new ArrayList<>();
    try (RedisStorage old = open(ns, 4)) {
      sendHello(old);
      for (int i = 0; i < 30; i++) {
        threaded.add(send(old, "in the thread " + i, Optional.of(ThreadId.of("plan"))));
      }
    }
    // What a namespace written before the index looks like: no index, no record of indexing.
    Nodes.on(
        redis,
        c -> {
          for (String key : c.sync().keys("{" + ns + "*")) {
            if (key.contains("}:th:")
                || key.endsWith("}:thx")
                || key.endsWith(":threads-indexed")) {
              c.sync().del(key);
            }
          }
          return null;
        });
    try (RedisStorage upgraded = open(ns, 4)) {
      assertThat(ids(upgraded, "plan")).isEqualTo(threaded);
      MessageId later = send(upgraded, "after", Optional.of(ThreadId.of("plan")));
      assertThat(ids(upgraded, "plan")).hasSize(31).endsWith(later);
    }
    try (RedisStorage again = open(ns, 4)) {
      assertThat(ids(again, "plan")).hasSize(31);
    }
  }

  /**
   * Messages stored before the search index existed are indexed once, when a node opens the
   * namespace: search finds them, and opening again indexes nothing twice.
   */
  @Test
  void messagesStoredBeforeTheSearchIndexAreIndexedOnceOnOpen() {
    String ns = "search-" + UUID.randomUUID();
    List<MessageId> old = new ArrayList<>();
    try (RedisStorage before = open(ns, 4)) {
      sendHello(before);
      for (int i = 0; i < 30; i++) {
        old.add(send(before, "walnut number " + i));
      }
    }
    // What a namespace written before the index looks like: no index, no record of indexing.
    Nodes.on(
        redis,
        c -> {
          for (String key : c.sync().keys("{" + ns + "*")) {
            if (key.contains("}:sx:")
                || key.endsWith("}:sterms")
                || key.endsWith("}:sd")
                || key.endsWith("}:sstat")
                || key.endsWith(":search-indexed")) {
              c.sync().del(key);
            }
          }
          return null;
        });
    try (RedisStorage upgraded = open(ns, 4)) {
      assertThat(search(upgraded, "walnut")).containsExactlyInAnyOrderElementsOf(old);
      MessageId later = send(upgraded, "walnut later");
      assertThat(search(upgraded, "walnut")).hasSize(31).contains(later);
    }
    try (RedisStorage again = open(ns, 4)) {
      assertThat(search(again, "walnut")).hasSize(31);
      assertThat(search(again, "number 7")).containsExactly(old.get(7));
    }
  }

  private static List<MessageId> search(RedisStorage s, String q) {
    return s
        .messages()
        .search(
            new SearchRequest(
                SearchQuery.parse(q),
                AgentId.of("bob"),
                true,
                Optional.empty(),
                MessageFilter.NONE,
                Optional.empty(),
                100))
        .hits()
        .stream()
        .map(h -> h.envelope().message().id())
        .toList();
  }

  private static List<MessageId> ids(RedisStorage s, String thread) {
    return s
        .messages()
        .thread(ThreadId.of(thread), AgentId.of("bob"), Optional.empty(), Order.ASC, 1000)
        .items()
        .stream()
        .map(e -> e.message().id())
        .toList();
  }

  private RedisStorage open(String ns, int shards) {
    return RedisStorage.open(
        RedisOptions.of(redis.uri()).withNamespace(ns).withShards(shards),
        InstantSource.system(),
        RetentionPolicy.DEFAULTS);
  }

  private static MessageId sendHello(RedisStorage s) {
    for (String name : new String[] {"alice", "bob"}) {
      s.agents().create(new AgentRecord(AgentId.of(name), Set.of(Role.AGENT), Instant.now()), name);
    }
    return send(s, "hello");
  }

  private static MessageId send(RedisStorage s, String text) {
    return send(s, text, Optional.empty());
  }

  private static MessageId send(RedisStorage s, String text, Optional<ThreadId> thread) {
    Draft draft = Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of("bob")), text);
    if (thread.isPresent()) {
      draft = draft.withThreadId(thread.get());
    }
    SendResult r =
        s.messages()
            .send(
                new OutgoingMessage(AgentId.of("alice"), draft, Duration.ofHours(1)),
                new Route.ToMailbox(MailboxName.of("bob"), MailboxKind.AGENT));
    assertThat(r).isInstanceOf(SendResult.Accepted.class);
    return r.id();
  }
}
