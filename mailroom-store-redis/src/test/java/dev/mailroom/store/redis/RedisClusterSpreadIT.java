package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MessageFilter;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.MessageQuery;
import dev.mailroom.core.Order;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.delivery.SubscriptionId;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.store.sqlite.SqliteSpool;
import dev.mailroom.testkit.redis.RedisCluster;
import dev.mailroom.testkit.redis.RedisServer;
import dev.mailroom.testkit.redis.SharedRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One system on a Cluster of 3 masters spreads its keys and its load over all of them: many agents,
 * topics and sends leave keys of the namespace on every master, and every master runs part of its
 * scripts, without a CROSSSLOT error (or any other) on any of them.
 */
class RedisClusterSpreadIT {
  private static final Logger LOG = LoggerFactory.getLogger(RedisClusterSpreadIT.class);
  private static final Pattern ERRORS = Pattern.compile("errorstat_([A-Z]+):count=(\\d+)");

  @Test
  void aSystemsKeysAndScriptsAreOnEveryMaster() {
    RedisCluster cluster = SharedRedis.cluster();
    String namespace = "spread-" + UUID.randomUUID();
    List<RedisServer> masters = cluster.masters();
    assertThat(masters).hasSize(3);
    Map<Integer, Long> scriptsBefore = new HashMap<>();
    Map<Integer, Map<String, Long>> errorsBefore = new HashMap<>();
    Map<Integer, Long> failedBefore = new HashMap<>();
    for (RedisServer m : masters) {
      scriptsBefore.put(m.port(), scripts(m));
      errorsBefore.put(m.port(), errors(m));
      failedBefore.put(m.port(), failedScripts(m));
    }

    int delivered;
    try (RedisStorage storage =
        RedisStorage.open(
            RedisOptions.of(cluster.uri()).withNamespace(namespace),
            InstantSource.system(),
            RetentionPolicy.DEFAULTS)) {
      assertThat(storage.health().details()).containsEntry("shards", 16);
      List<AgentId> agents = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        AgentId a = AgentId.of("agent-" + i);
        storage.agents().create(new AgentRecord(a, Set.of(Role.AGENT), Instant.now()), "h" + i);
        agents.add(a);
      }
      List<MessageId> sent = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        MailboxName topic = MailboxName.of("news.topic-" + t);
        List<Recipient> subscribers = new ArrayList<>();
        for (int i = t % 3; i < agents.size(); i += 3) {
          subscribers.add(
              new Recipient(agents.get(i), SubscriptionId.of("sub-" + t + "-" + i), true, 1_000));
        }
        for (int n = 0; n < 5; n++) {
          Draft draft = Draft.text(SendMode.TOPIC, Optional.of(topic), "news " + t + "." + n);
          SendResult r =
              storage
                  .messages()
                  .send(
                      new OutgoingMessage(agents.get(t), draft, Duration.ofHours(1)),
                      new Route.ToMailbox(topic, MailboxKind.TOPIC, subscribers));
          assertThat(r).isInstanceOf(SendResult.Accepted.class);
          sent.add(r.id());
        }
      }
      for (int i = 0; i < agents.size(); i++) {
        AgentId to = agents.get((i + 1) % agents.size());
        Draft draft = Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of(to.value())), "hi");
        storage
            .messages()
            .send(
                new OutgoingMessage(agents.get(i), draft, Duration.ofHours(1)),
                new Route.ToMailbox(MailboxName.of(to.value()), MailboxKind.AGENT));
      }
      // Every message is found where its id says, and every subscriber got each of its topic's.
      for (MessageId id : sent) {
        assertThat(storage.messages().find(id)).isPresent();
      }
      delivered = 0;
      for (AgentId a : agents) {
        int pending = storage.deliveries().pending(a, Optional.empty(), 10_000).size();
        delivered += pending;
      }
      // Each topic reaches 13 or 14 agents, less the sender when it subscribes; plus one direct
      // message per agent.
      assertThat(delivered).isGreaterThan(12 * 5 * 12);
      // Acknowledging in each agent's shard works the same.
      for (AgentId a : agents) {
        List<MessageId> ids =
            storage.deliveries().pending(a, Optional.empty(), 10_000).stream()
                .map(d -> d.message().id())
                .toList();
        assertThat(storage.deliveries().acknowledge(a, ids)).isEqualTo(ids.size());
      }
    }

    for (RedisServer m : masters) {
      long keys = keysOf(m, namespace);
      long scripts = scripts(m) - scriptsBefore.get(m.port());
      LOG.warn(
          "master {}: {} keys of the namespace, {} scripts run; {}",
          m.port(),
          keys,
          scripts,
          Nodes.on(m, c -> c.sync().info("errorstats")).replace("\r\n", " "));
      assertThat(keys).as("keys of the namespace on master %s", m.port()).isPositive();
      assertThat(scripts).as("scripts run on master %s", m.port()).isGreaterThan(20);
      // A script that touched a key of another slot fails with an ERR: no script failed but
      // for NOSCRIPT, which a master answers once before it is sent the script in full. (Other
      // ERRs come from Lettuce's CLIENT SETINFO on each new connection, which Redis 7.0 lacks.)
      Map<String, Long> before = errorsBefore.get(m.port());
      Map<String, Long> after = errors(m);
      long noscript = after.getOrDefault("NOSCRIPT", 0L) - before.getOrDefault("NOSCRIPT", 0L);
      assertThat(failedScripts(m) - failedBefore.get(m.port()))
          .as("scripts that failed on master %s", m.port())
          .isEqualTo(noscript);
      for (String kind : List.of("CROSSSLOT", "MOVED", "ASK", "TRYAGAIN")) {
        assertThat(after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L))
            .as("%s errors on master %s", kind, m.port())
            .isZero();
      }
    }
  }

  /**
   * A spool replayed into a Cluster: the direct sends of a batch that reach only their home shard
   * go a script per home shard, a topic send whose subscribers are in other shards goes alone
   * between them, and each message is stored once, in its mailboxes and its subscribers' queues in
   * order. The spool is filled as a node that stopped while Redis was down left it, then replayed
   * by a node that starts with it.
   */
  @Test
  void aReplayedSpoolSendsEachHomesSendsInOneScript(@TempDir Path dir) {
    RedisCluster cluster = SharedRedis.cluster();
    String namespace = "replay-" + UUID.randomUUID();
    RedisOptions options = RedisOptions.of(cluster.uri()).withNamespace(namespace);
    List<AgentId> agents = new ArrayList<>();
    Map<AgentId, List<MessageId>> inboxes = new HashMap<>();
    Map<AgentId, List<MessageId>> queues = new HashMap<>();
    MailboxName topic = MailboxName.of("news");
    int sends = 300;
    try (RedisStorage first =
            RedisStorage.open(options, InstantSource.system(), RetentionPolicy.DEFAULTS);
        Spool spool = SqliteSpool.open(dir, Spool.Limits.DEFAULTS)) {
      for (int i = 0; i < 12; i++) {
        AgentId a = AgentId.of("agent-" + i);
        first.agents().create(new AgentRecord(a, Set.of(Role.AGENT), Instant.now()), "h" + i);
        agents.add(a);
        inboxes.put(a, new ArrayList<>());
        queues.put(a, new ArrayList<>());
      }
      List<Recipient> subscribers = new ArrayList<>();
      for (AgentId a : agents) {
        subscribers.add(new Recipient(a, SubscriptionId.of("sub-" + a.value()), true, 10_000));
      }
      RedisMessageStore direct = (RedisMessageStore) first.messages();
      List<Spool.Send> spooled = new ArrayList<>();
      for (int i = 0; i < sends; i++) {
        AgentId from = agents.get(i % 5);
        OutgoingMessage m;
        Route route;
        if (i % 100 == 50) {
          m =
              new OutgoingMessage(
                  from,
                  Draft.text(SendMode.TOPIC, Optional.of(topic), "news " + i),
                  Duration.ofHours(1));
          route = new Route.ToMailbox(topic, MailboxKind.TOPIC, subscribers);
        } else {
          AgentId to = agents.get((i * 7) % agents.size());
          MailboxName box = MailboxName.of(to.value());
          m =
              new OutgoingMessage(
                  from,
                  Draft.text(SendMode.DIRECT, Optional.of(box), "hi " + i),
                  Duration.ofHours(1));
          route = new Route.ToMailbox(box, MailboxKind.AGENT);
        }
        MessageId id = direct.idFor(m, route);
        spooled.add(
            new Spool.Send(id, from, Optional.empty(), Instant.now(), Codec.spooled(m, route)));
        if (route instanceof Route.ToMailbox to && to.kind() == MailboxKind.AGENT) {
          inboxes.get(AgentId.of(to.name().value())).add(id);
          queues.get(AgentId.of(to.name().value())).add(id);
        } else {
          agents.stream().filter(a -> !a.equals(from)).forEach(a -> queues.get(a).add(id));
        }
      }
      spool.append(spooled);
    }

    Map<Integer, Long> before = new HashMap<>();
    for (RedisServer m : cluster.masters()) {
      before.put(m.port(), scripts(m));
    }
    try (RedisStorage node =
        RedisStorage.open(
            options,
            InstantSource.system(),
            RetentionPolicy.DEFAULTS,
            Optional.of(SqliteSpool.open(dir, Spool.Limits.DEFAULTS)))) {
      SpoolingMessageStore spooling = (SpoolingMessageStore) node.messages();
      await().atMost(Duration.ofSeconds(30)).until(() -> spooling.stats().isEmpty());
      long scripts = 0;
      for (RedisServer m : cluster.masters()) {
        scripts += scripts(m) - before.get(m.port());
      }
      LOG.warn("{} spooled sends replayed with {} scripts", sends, scripts);
      // One script a send would be 300 and more (a topic send takes several).
      assertThat(scripts).as("scripts run to replay %s sends", sends).isLessThan(sends / 2);
      for (AgentId a : agents) {
        MailboxName box = MailboxName.of(a.value());
        List<MessageId> listed =
            node
                .messages()
                .query(
                    new MessageQuery(box, a, MessageFilter.NONE, Optional.empty(), Order.ASC, 1000))
                .items()
                .stream()
                .map(e -> e.message().id())
                .toList();
        assertThat(listed).as("%s's inbox", a).doesNotHaveDuplicates().containsAll(inboxes.get(a));
        List<MessageId> pending =
            node.deliveries().pending(a, Optional.empty(), 1000).stream()
                .map(d -> d.message().id())
                .toList();
        assertThat(pending).as("%s's queue", a).containsExactlyElementsOf(queues.get(a));
      }
    }
  }

  /**
   * What makes a script that strays out of its slot fail rather than work by chance when both slots
   * are on one master: every script starts with {@code #!lua}, and Redis 7 then checks each key.
   */
  @Test
  void aScriptThatTouchesAnotherSlotIsRefusedEvenOnTheSameMaster() {
    RedisCluster cluster = SharedRedis.cluster();
    String namespace = "stray-" + UUID.randomUUID();
    try (RedisLink link =
        RedisLink.connect(
            RedisOptions.of(cluster.uri()).withNamespace(namespace), InstantSource.system())) {
      KeySpace keys = link.keys();
      // Two shards on the same master, so only the slot check can refuse it.
      int a = 0;
      int b = 1;
      assertThat(cluster.masterForSlot(keys.slot(a)).port())
          .isEqualTo(cluster.masterForSlot(keys.slot(b)).port());
      String body = "redis.call('SET', ARGV[5], '1')\nreturn 1";
      Script stray = new Script("stray", Script.Form.of("#!lua\n" + body), Script.Form.of(body));
      assertThat((Long) link.runIn(a, stray, ScriptOutputType.INTEGER, keys.key(a, "probe")))
          .isEqualTo(1L);
      assertThatThrownBy(() -> link.runIn(a, stray, ScriptOutputType.INTEGER, keys.key(b, "probe")))
          .hasMessageContaining("same slot");
    }
  }

  /** How many scripts the server ran so far (by digest or in full). */
  private static long scripts(RedisServer master) {
    String stats = Nodes.on(master, c -> c.sync().info("commandstats"));
    return calls(stats, "evalsha") + calls(stats, "eval");
  }

  private static long calls(String stats, String command) {
    return field(stats, command, "calls");
  }

  /** How many scripts the server refused or failed so far. */
  private static long failedScripts(RedisServer master) {
    String stats = Nodes.on(master, c -> c.sync().info("commandstats"));
    long n = 0;
    for (String command : List.of("evalsha", "eval")) {
      n += field(stats, command, "failed_calls") + field(stats, command, "rejected_calls");
    }
    return n;
  }

  private static long field(String stats, String command, String field) {
    Matcher m =
        Pattern.compile("cmdstat_" + command + ":[^\\r\\n]*\\b" + field + "=(\\d+)").matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  /** The server's error replies so far, by their first word (CROSSSLOT, MOVED, ERR...). */
  private static Map<String, Long> errors(RedisServer master) {
    Map<String, Long> out = new HashMap<>();
    Matcher m = ERRORS.matcher(Nodes.on(master, c -> c.sync().info("errorstats")));
    while (m.find()) {
      out.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return out;
  }

  /** How many of the namespace's keys (its own, and every shard's) the server holds. */
  private static long keysOf(RedisServer master, String namespace) {
    return Nodes.on(
        master,
        c -> {
          long n = 0;
          ScanCursor cursor = ScanCursor.INITIAL;
          ScanArgs match = ScanArgs.Builder.matches("{" + namespace + "*").limit(1_000);
          do {
            KeyScanCursor<String> page = c.sync().scan(cursor, match);
            n += page.getKeys().size();
            cursor = page;
          } while (!cursor.isFinished());
          return n;
        });
  }
}
