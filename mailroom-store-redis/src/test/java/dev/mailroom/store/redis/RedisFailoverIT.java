package dev.mailroom.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.Draft;
import dev.mailroom.core.MailboxKind;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Message;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.OutgoingMessage;
import dev.mailroom.core.RetentionPolicy;
import dev.mailroom.core.Role;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.spi.AgentRecord;
import dev.mailroom.core.spi.ChangeListener;
import dev.mailroom.core.spi.Recipient;
import dev.mailroom.core.spi.Route;
import dev.mailroom.core.spi.SendResult;
import dev.mailroom.core.spool.Spool;
import dev.mailroom.store.sqlite.SqliteSpool;
import dev.mailroom.testkit.redis.RedisCluster;
import dev.mailroom.testkit.redis.RedisServer;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4: a Cluster master with a replica is killed during traffic. On a cluster of its own (3
 * masters, 1 replica each, AOF with fsync every second), the failover tests each on a namespace
 * whose slot is on a master no other test here kills: with {@code waitReplicas=1} every
 * acknowledged send survives the failover, the store keeps serving, and another node's events still
 * arrive; with {@code waitReplicas=0} what was lost is only logged. Around them, what the waiting
 * rests on: WAIT really counts (replica killed, connection dropped mid-WAIT), it is shared by
 * concurrent writers, and Lettuce routes a slot's commands over the connection WAIT is sent on.
 */
class RedisFailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(RedisFailoverIT.class);
  private static final Duration WAIT_TIMEOUT = Duration.ofMillis(500);
  private static final Duration HEAL = Duration.ofSeconds(30);

  private static RedisCluster cluster;
  private static final Set<Integer> claimedMasters = new HashSet<>();

  @BeforeAll
  static void startCluster() {
    long t0 = System.nanoTime();
    cluster = RedisCluster.start(3, 1);
    ReplicaAcks.await(cluster, HEAL);
    LOG.warn("cluster started in {} ms", (System.nanoTime() - t0) / 1_000_000);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * What RedisLink relies on: Lettuce sends a slot's commands over the very connection that {@code
   * getConnection(host, port)} returns, while {@code getConnection(nodeId)} is another one; so a
   * WAIT sent on the former counts the routed writes.
   */
  @Test
  void slotRoutingUsesTheHostAndPortConnection() {
    String key = "{probe}:k";
    RedisServer master = cluster.masterForSlot(SlotHash.getSlot(key));
    RedisClusterClient client = RedisClusterClient.create(cluster.uri());
    try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
      RedisClusterNode node = c.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      c.getConnection(node.getUri().getHost(), node.getUri().getPort())
          .sync()
          .clientSetname("by-host-port");
      c.getConnection(node.getNodeId()).sync().clientSetname("by-node-id");
      c.sync().set(key, "v");
      String clients = Nodes.on(master, s -> s.sync().clientList());
      assertThat(line(clients, "by-host-port")).contains("cmd=set");
      assertThat(line(clients, "by-node-id")).contains("cmd=client|setname");
    } finally {
      client.shutdown();
    }
  }

  /** With the slot master's only replica killed a write fails in about the wait timeout. */
  @Test
  void aWriteFailsWhenItsReplicaDoesNotAcknowledgeIt() {
    String ns = claimNamespace("r");
    RedisServer master = cluster.masterForSlot(SlotHash.getSlot(ns));
    RedisServer replica = replicaOf(master);
    try (RedisStorage s = open(ns, 1)) {
      List<AgentId> agents = register(s, 2, master);
      assertThat(send(s, agents.get(0), agents.get(1))).isInstanceOf(SendResult.Accepted.class);

      replica.kill();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> send(s, agents.get(0), agents.get(1)))
          .isInstanceOf(MailroomException.Unavailable.class)
          .hasMessageContaining("0 of 1 replicas");
      long failedAfter = (System.nanoTime() - t0) / 1_000_000;
      LOG.warn("send with the replica down failed after {} ms", failedAfter);
      assertThat(failedAfter).isBetween(WAIT_TIMEOUT.toMillis() - 50, 3_000L);
      // Every write script waits, not only sends.
      assertThatThrownBy(() -> register(s, 1, master))
          .isInstanceOf(MailroomException.Unavailable.class);

      replica.restart();
      cluster.awaitHealthy(HEAL);
      ReplicaAcks.await(cluster, HEAL);
      assertThat(send(s, agents.get(0), agents.get(1))).isInstanceOf(SendResult.Accepted.class);
    }
  }

  /**
   * A WAIT only counts the writes of its own session: when the connection drops while a write
   * waits, Lettuce sends the WAIT again on the new connection, where it would count nothing and say
   * yes; the write must fail instead.
   */
  @Test
  void aWaitOfAnotherSessionDoesNotConfirmAWrite() throws Exception {
    String ns = "session-" + System.nanoTime();
    RedisServer master = cluster.masterForSlot(SlotHash.getSlot(ns));
    RedisServer replica = replicaOf(master);
    try (RedisStorage s =
        RedisStorage.open(
            RedisOptions.of(cluster.uri())
                .withNamespace(ns)
                .withWaitReplicas(1, Duration.ofSeconds(3)),
            InstantSource.system(),
            RetentionPolicy.DEFAULTS)) {
      List<AgentId> agents = register(s, 2, master);
      String pid = Nodes.pid(replica);
      Nodes.signal("STOP", pid);
      try {
        var sending = CompletableFuture.supplyAsync(() -> send(s, agents.get(0), agents.get(1)));
        Nodes.cutClientBlockedInWait(master);
        Thread.sleep(200);
        Nodes.signal("CONT", pid);
        assertThatThrownBy(sending::join)
            .hasCauseInstanceOf(MailroomException.Unavailable.class)
            .hasMessageContaining("dropped");
      } finally {
        Nodes.signal("CONT", pid);
      }
      cluster.awaitHealthy(HEAL);
      ReplicaAcks.await(cluster, HEAL);
      assertThat(send(s, agents.get(0), agents.get(1))).isInstanceOf(SendResult.Accepted.class);
    }
  }

  /** Concurrent writers share WAITs: far fewer WAITs than writes reach the master. */
  @Test
  void concurrentWritesShareTheirWaits() throws InterruptedException {
    String ns = "share-" + System.nanoTime();
    RedisServer master = cluster.masterForSlot(SlotHash.getSlot(ns));
    List<AgentId> agents;
    try (RedisStorage s = open(ns, 0)) {
      agents = register(s, 8, master);
      long ms = sendConcurrently(s, agents, 32, 100);
      LOG.warn("waitReplicas=0: 3200 sends from 32 threads in {} ms", ms);
    }
    try (RedisStorage s = open(ns, 1)) {
      Nodes.on(master, c -> c.sync().configResetstat());
      long ms = sendConcurrently(s, agents, 32, 100);
      String stats = Nodes.on(master, c -> c.sync().info("commandstats"));
      long scripts = calls(stats, "evalsha");
      long waits = calls(stats, "wait");
      LOG.warn(
          "waitReplicas=1: 3200 sends from 32 threads in {} ms: {} scripts, {} WAITs",
          ms,
          scripts,
          waits);
      assertThat(scripts).isGreaterThanOrEqualTo(3200);
      assertThat(waits).isPositive().isLessThan(scripts / 2);
    }
  }

  /** Sends {@code each} messages from each of {@code threads} threads; how long it took, in ms. */
  private static long sendConcurrently(RedisStorage s, List<AgentId> agents, int threads, int each)
      throws InterruptedException {
    List<Thread> senders = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      senders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int n = 0; n < each; n++) {
                      send(s, agents.get(n % 8), agents.get((n + 1) % 8));
                    }
                  }));
    }
    for (Thread t : senders) {
      t.join();
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * The scenario with {@code waitReplicas=1}: every acknowledged send is still there after
   * the failover, the store serves again, and a second node still hears of deliveries.
   */
  @Test
  void acknowledgedSendsSurviveAFailover() throws InterruptedException {
    String ns = claimNamespace("w");
    try (RedisStorage s = open(ns, 1);
        Subscribed subscribed = openSubscribedOnAMaster(ns)) {
      // The master to kill is the one the other node listens on: its events connection dies with
      // it. The sends go to agents whose shards it serves.
      RedisStorage other = subscribed.storage();
      RedisServer master = subscribed.master();
      KeySpace keys = new KeySpace(ns, s.shards());
      Set<MessageId> heard = ConcurrentHashMap.newKeySet();
      other.listen(
          new ChangeListener() {
            @Override
            public void stored(Message m, List<Recipient> pushed, List<AgentId> reached) {
              if (!pushed.isEmpty()) {
                heard.add(m.id());
              }
            }
          });
      List<AgentId> agents = register(s, 5, master);
      int slot = keys.slot(keys.shard(agents.getFirst().value()));
      LOG.warn(
          "events subscribers before the failover: {}; killing {}", subscribers(ns), master.port());

      Outcome outcome = failover(s, agents, master, slot);
      LOG.warn("waitReplicas=1: {}", outcome);
      assertThat(outcome.acked()).isNotEmpty();
      assertThat(outcome.unexpected()).isEmpty();
      assertThat(outcome.missing()).isEmpty();
      LOG.warn("events subscribers after the failover: {}", subscribers(ns));

      // The other node hears of new sends through its (resubscribed) events connection.
      List<MessageId> after = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        SendResult r = send(s, agents.get(i % 5), agents.get((i + 1) % 5));
        after.add(((SendResult.Accepted) r).id());
      }
      assertThat(poll(Duration.ofSeconds(10), () -> heard.containsAll(after)))
          .as("the other node heard of every send made after the failover")
          .isTrue();
    }
  }

  /**
   * The same with {@code waitReplicas=0}: acknowledged sends may be lost (asynchronous
   * replication); what was lost is logged, not asserted, as it is a race.
   */
  @Test
  void withoutWaitingAcknowledgedSendsMayBeLost() throws InterruptedException {
    String ns = claimNamespace("n");
    int slot = SlotHash.getSlot(ns);
    RedisServer master = cluster.masterForSlot(slot);
    try (RedisStorage s = open(ns, 0)) {
      List<AgentId> agents = register(s, 5, master);
      Outcome outcome = failover(s, agents, master, slot);
      LOG.warn("waitReplicas=0: {}", outcome);
      assertThat(outcome.acked()).isNotEmpty();
    }
  }

  /**
   * With a spool (and {@code waitReplicas=1}), nobody sees the failover: every send made during it
   * is accepted, spooled while its slot has no master, and every one is there afterwards.
   */
  @Test
  void withASpoolNoSendFailsDuringAFailover(@TempDir Path dir) throws InterruptedException {
    String ns = claimNamespace("s");
    int slot = SlotHash.getSlot(ns);
    RedisServer master = cluster.masterForSlot(slot);
    try (RedisStorage s =
        RedisStorage.open(
            RedisOptions.of(cluster.uri()).withNamespace(ns).withWaitReplicas(1, WAIT_TIMEOUT),
            InstantSource.system(),
            RetentionPolicy.DEFAULTS,
            Optional.of(SqliteSpool.open(dir, Spool.Limits.DEFAULTS)))) {
      List<AgentId> agents = register(s, 5, master);
      KeySpace keys = new KeySpace(ns, s.shards());
      Outcome outcome =
          failover(s, agents, master, keys.slot(keys.shard(agents.getFirst().value())));
      LOG.warn("waitReplicas=1 with a spool: {}", outcome);
      assertThat(outcome.acked()).isNotEmpty();
      assertThat(outcome.unavailable()).as("sends that failed").isZero();
      assertThat(outcome.unexpected()).isEmpty();
      assertThat(outcome.missing()).isEmpty();
    }
  }

  /** What a run of traffic across a failover gave. */
  record Outcome(
      Map<MessageId, AgentId> acked,
      long unavailable,
      List<Throwable> unexpected,
      List<MessageId> missing,
      long failoverMs,
      long healthyMs,
      long firstSuccessAfterHealthyMs,
      int ackedWhileReplicaFrozen) {
    @Override
    public String toString() {
      return acked.size()
          + " acknowledged, "
          + unavailable
          + " unavailable, "
          + unexpected.size()
          + " unexpected failures, "
          + ackedWhileReplicaFrozen
          + " acknowledged while the replica was frozen, "
          + missing.size()
          + " acknowledged but missing after the failover "
          + missing.stream().limit(5).toList()
          + "; slot moved "
          + failoverMs
          + " ms after the kill, cluster healthy after "
          + healthyMs
          + " ms, first send after that succeeded after "
          + firstSuccessAfterHealthyMs
          + " ms";
    }
  }

  /**
   * Sends from 8 threads; kills the slot's master after a second; once the slot moved, restarts the
   * killed node (it comes back as the replica the promoted master needs); once the cluster is
   * healthy, sends until one succeeds, then checks every acknowledged send.
   */
  private static Outcome failover(
      RedisStorage s, List<AgentId> agents, RedisServer master, int slot)
      throws InterruptedException {
    Map<MessageId, AgentId> acked = new ConcurrentHashMap<>();
    var text = new AtomicReference<>("hello");
    AtomicLong unavailable = new AtomicLong();
    Map<String, Long> reasons = new ConcurrentHashMap<>();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    List<Thread> senders = new ArrayList<>();
    var stop = new AtomicBoolean();
    for (int i = 0; i < 8; i++) {
      senders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                      AgentId from = agents.get(random.nextInt(agents.size()));
                      AgentId to = agents.get(random.nextInt(agents.size()));
                      try {
                        SendResult r = send(s, from, to, text.get());
                        if (r instanceof SendResult.Accepted || r instanceof SendResult.Spooled) {
                          acked.put(r.id(), to);
                        }
                      } catch (MailroomException.Unavailable e) {
                        unavailable.incrementAndGet();
                        String why = String.valueOf(e.getMessage());
                        reasons.merge(why.substring(0, Math.min(90, why.length())), 1L, Long::sum);
                      } catch (RuntimeException e) {
                        unexpected.add(e);
                      }
                    }
                  }));
    }
    Thread.sleep(1_000);
    // The replica lags: frozen for the last 300 ms before the master dies, so the master's last
    // writes never reach it. Not what usually happens (on localhost it is less than a millisecond
    // behind), but what a slow replica or network makes of the same window.
    // Big messages meanwhile, more than the sockets' buffers hold: the rest of the replication
    // stream is still in the master's memory when it dies.
    String replica = Nodes.pid(replicaOf(master));
    Nodes.signal("STOP", replica);
    text.set("x".repeat(16_384));
    int frozenAt = acked.size();
    Thread.sleep(300);
    int before = acked.size();
    long t0 = System.nanoTime();
    try {
      master.kill();
    } finally {
      Nodes.signal("CONT", replica);
      text.set("hello");
    }
    boolean moved = poll(HEAL, () -> servedElsewhere(slot, master));
    long failoverMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(moved).as("a replica took over the slot").isTrue();
    master.restart();
    cluster.awaitHealthy(HEAL);
    long healthyMs = (System.nanoTime() - t0) / 1_000_000;
    long t1 = System.nanoTime();
    boolean serving = poll(HEAL, () -> trySend(s, agents));
    long firstSuccess = (System.nanoTime() - t1) / 1_000_000;
    Thread.sleep(500);
    stop.set(true);
    for (Thread t : senders) {
      t.join();
    }
    assertThat(serving).as("sends succeed again after the failover").isTrue();
    assertThat(acked.size()).as("sends were acknowledged after the kill").isGreaterThan(before);
    for (int i = 0; i < 20; i++) {
      assertThat(send(s, agents.get(0), agents.get(1))).isInstanceOf(SendResult.Accepted.class);
    }
    LOG.warn("why sends were unavailable: {}", reasons);
    if (s.messages() instanceof SpoolingMessageStore spooling) {
      assertThat(poll(HEAL, () -> spooling.stats().isEmpty())).as("the spool emptied").isTrue();
      LOG.warn("spool: {}", spooling.health());
    }
    List<MessageId> missing = new ArrayList<>();
    for (Map.Entry<MessageId, AgentId> e : acked.entrySet()) {
      if (s.messages().find(e.getKey()).isEmpty()
          || !s.messages().contains(MailboxName.of(e.getValue().value()), e.getKey())) {
        missing.add(e.getKey());
      }
    }
    return new Outcome(
        acked,
        unavailable.get(),
        unexpected,
        missing,
        failoverMs,
        healthyMs,
        firstSuccess,
        before - frozenAt);
  }

  private static boolean servedElsewhere(int slot, RedisServer old) {
    try {
      return cluster.masterForSlot(slot).port() != old.port();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean trySend(RedisStorage s, List<AgentId> agents) {
    try {
      return send(s, agents.get(0), agents.get(1)) instanceof SendResult.Accepted;
    } catch (MailroomException.Unavailable e) {
      return false;
    }
  }

  /** A node, and the master its events connection landed on. */
  private record Subscribed(RedisStorage storage, RedisServer master) implements AutoCloseable {
    @Override
    public void close() {
      storage.close();
    }
  }

  /**
   * A second node on the namespace whose events connection is on a master: where Lettuce puts a
   * Cluster pub/sub connection is up to it, so nodes are opened until one lands on a master (the
   * others are closed).
   */
  private static Subscribed openSubscribedOnAMaster(String ns) {
    List<RedisStorage> elsewhere = new ArrayList<>();
    try {
      for (int i = 0; i < 12; i++) {
        Map<Integer, Long> before = subscribers(ns);
        RedisStorage s = open(ns, 0);
        Map<Integer, Long> after = subscribers(ns);
        for (RedisServer m : cluster.masters()) {
          if (after.getOrDefault(m.port(), 0L) > before.getOrDefault(m.port(), 0L)) {
            return new Subscribed(s, m);
          }
        }
        elsewhere.add(s);
      }
      throw new IllegalStateException("no events connection landed on a master");
    } finally {
      elsewhere.forEach(RedisStorage::close);
    }
  }

  private static RedisStorage open(String ns, int replicas) {
    return open(ns, replicas, cluster.uri());
  }

  private static RedisStorage open(String ns, int replicas, String uri) {
    return RedisStorage.open(
        RedisOptions.of(uri).withNamespace(ns).withWaitReplicas(replicas, WAIT_TIMEOUT),
        InstantSource.system(),
        RetentionPolicy.DEFAULTS);
  }

  /**
   * Registers {@code n} agents whose mailboxes (and so the direct sends to them, and their
   * deliveries) are in shards that {@code master} serves.
   */
  private static List<AgentId> register(RedisStorage s, int n, RedisServer master) {
    KeySpace keys = new KeySpace(s.namespace(), s.shards());
    List<AgentId> agents = new ArrayList<>();
    for (int i = 0; agents.size() < n; i++) {
      AgentId id = AgentId.of("a" + System.nanoTime() + "-" + i);
      if (cluster.masterForSlot(keys.slot(keys.shard(id.value()))).port() != master.port()) {
        continue;
      }
      s.agents().create(new AgentRecord(id, Set.of(Role.AGENT), Instant.now()), "hash-" + id);
      agents.add(id);
    }
    return agents;
  }

  private static SendResult send(RedisStorage s, AgentId from, AgentId to) {
    return send(s, from, to, "hello " + to);
  }

  private static SendResult send(RedisStorage s, AgentId from, AgentId to, String text) {
    Draft draft = Draft.text(SendMode.DIRECT, Optional.of(MailboxName.of(to.value())), text);
    return s.messages()
        .send(
            new OutgoingMessage(from, draft, Duration.ofDays(1)),
            new Route.ToMailbox(MailboxName.of(to.value()), MailboxKind.AGENT));
  }

  /** A namespace whose slot is on a master no other test here claimed, which has a replica. */
  private static String claimNamespace(String prefix) {
    for (int i = 0; ; i++) {
      String ns = prefix + "-" + i;
      RedisServer master = cluster.masterForSlot(SlotHash.getSlot(ns));
      synchronized (claimedMasters) {
        if (claimedMasters.add(master.port())) {
          return ns;
        }
      }
    }
  }

  private static RedisServer replicaOf(RedisServer master) {
    for (RedisServer node : cluster.replicas()) {
      if (node.isRunning()) {
        String info = Nodes.on(node, c -> c.sync().info("replication"));
        if (info.contains("master_port:" + master.port() + "\r")) {
          return node;
        }
      }
    }
    throw new IllegalStateException("no running replica of " + master);
  }

  /** How many connections subscribe to the namespace's events channel, per running node. */
  private static Map<Integer, Long> subscribers(String ns) {
    Map<Integer, Long> out = new TreeMap<>();
    for (RedisServer node : cluster.nodes()) {
      if (node.isRunning()) {
        out.put(
            node.port(),
            Nodes.on(
                node,
                c -> c.sync().pubsubNumsub("{" + ns + "}:events").values().iterator().next()));
      }
    }
    return out;
  }

  private static String line(String clients, String name) {
    return clients
        .lines()
        .filter(l -> l.contains(" name=" + name + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no client " + name + " in " + clients));
  }

  private static long calls(String commandstats, String command) {
    Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(commandstats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static boolean poll(Duration timeout, BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (done.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return done.getAsBoolean();
  }
}
