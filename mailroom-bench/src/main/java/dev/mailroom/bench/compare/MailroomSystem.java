package dev.mailroom.bench.compare;

import dev.mailroom.bench.RawHttp;
import dev.mailroom.testkit.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Mailroom as a {@link MessagingSystem}: a server run as a process of its own, as every peer runs
 * (the command-line jar's {@code serve}, on the JDK running the bench), on a fresh data directory,
 * on the SQLite store ({@code mailroom-sqlite}) or on a redis-server it starts itself ({@code
 * mailroom-redis}, AOF with {@code appendfsync everysec}). So the load generator's threads and
 * garbage collection do not land on the server under test. The jar is {@code
 * mailroom-cli/target/mailroom-cli.jar} (which {@code bin/bench} builds), or the system property
 * {@code mailroom.cli.jar}; the server's JVM options are {@code mailroom.server.java.opts}.
 *
 * <p>A destination is a topic. Each durable consumer is an agent of its own with a {@code realtime}
 * subscription to that topic ({@code max_queue_size} 1,000,000, {@code auto_ack} false), created in
 * {@link #prepare}; a publisher is one more agent that sends {@code topic} messages over a
 * keep-alive connection ({@link RawHttp}), one per publisher, and a {@code 201} means the message
 * is stored as the store's durability promises. Payloads travel as {@code
 * application/octet-stream}, base64 on the wire. A consumer opens the agent's WebSocket stream with
 * {@code coalesce=true} (the deliveries the server has ready at once come in one {@code deliveries}
 * frame, as the peers' consumers fetch many per read) and acknowledges each message with an {@code
 * ack} frame once the handler has returned; ids handled while an ack frame is on its way go out
 * together in the next one, so acknowledgements batch themselves under load as the peers' do.
 *
 * <p>The server's inbox bound ({@code mailroom.retention.max-inbox-size}, default 10,000) is raised
 * to 1,000,000 so that a consumer's backlog in these scenarios (100,000 in S4, more in S1, where
 * nothing consumes) is not trimmed: with the default, the oldest pending deliveries would be
 * dropped. Everything else is the server's default.
 */
public final class MailroomSystem implements MessagingSystem {
  /** The closed-loop HTTP publishers of the server warm-up, besides one pipelined publisher. */
  private static final int WARMUP_PUBLISHERS = 4;

  /** What a {@code 201} means on the SQLite store. */
  public static final String SQLITE_DURABILITY =
      "synced to disk (WAL, synchronous=FULL) before the 201";

  /** What a {@code 201} means on the in-memory store: nothing is kept once the process ends. */
  public static final String MEMORY_DURABILITY = "in memory only: the ceiling, not a store";

  /** What a {@code 201} means on the Redis store, as this system starts its redis-server. */
  public static final String REDIS_DURABILITY = "AOF appendfsync everysec";

  /** The inbox bound and subscription queue size the scenarios need (see the class comment). */
  static final int BACKLOG_BOUND = 1_000_000;

  /** How long the server process may take to listen (a first start creates its store). */
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private static final String ADMIN_TOKEN = "mr_compare_admin_token_not_for_production_use_000";
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern NOT_NAME = Pattern.compile("[^A-Za-z0-9_-]");

  private final String name;
  private final String durability;
  private final ServerProcess server;
  private final @Nullable RedisServer redis;
  private final ExecutorService streamThreads;
  private final HttpClient http;
  private final Map<String, Topic> topics = new ConcurrentHashMap<>();
  private int generation; // guarded by this

  private MailroomSystem(
      String name, String durability, ServerProcess server, @Nullable RedisServer redis) {
    this.name = name;
    this.durability = durability;
    this.server = server;
    this.redis = redis;
    this.streamThreads =
        Executors.newFixedThreadPool(
            2, r -> Thread.ofPlatform().daemon().name("mailroom-stream-client").unstarted(r));
    this.http =
        HttpClient.newBuilder()
            .executor(streamThreads)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  /** Mailroom on its SQLite store, in {@code dataDir} (emptied first). */
  public static MailroomSystem sqlite(Path dataDir) throws IOException {
    return new MailroomSystem("mailroom-sqlite", SQLITE_DURABILITY, start(dataDir, Map.of()), null);
  }

  /**
   * Mailroom on a redis-server of its own (the testkit's fixture, {@code appendonly yes}, {@code
   * appendfsync everysec}), which {@link #close()} stops; {@code dataDir} (emptied first) holds the
   * server's own files.
   */
  public static MailroomSystem redis(Path dataDir) throws IOException {
    RedisServer redis =
        RedisServer.start(RedisServer.Options.defaults().appendOnly(true).appendFsync("everysec"));
    try {
      Map<String, String> env =
          Map.of(
              "MAILROOM_REDIS_URL", redis.uri().toString(), "MAILROOM_REDIS_NAMESPACE", "compare");
      return new MailroomSystem("mailroom-redis", REDIS_DURABILITY, start(dataDir, env), redis);
    } catch (IOException | RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  /**
   * Mailroom's server on the testkit's in-memory store ({@code mailroom-memory}), in a process of
   * its own started from this JVM's class path ({@link MemoryServerMain}): nothing durable, so it
   * measures in the same run what the server and its transports cost with no store behind them, the
   * ceiling of the other two on this machine. {@code dataDir} (emptied first) holds nothing but
   * what the server writes besides its store.
   */
  public static MailroomSystem memory(Path dataDir) throws IOException {
    return new MailroomSystem(
        "mailroom-memory",
        MEMORY_DURABILITY,
        start(
            dataDir,
            Map.of(),
            port ->
                List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    MemoryServerMain.class.getName(),
                    Integer.toString(port),
                    dataDir.toAbsolutePath().toString())),
        null);
  }

  /**
   * Starts {@code mailroom serve} on {@code dataDir} (emptied first), with the admin token and
   * inbox bound of the class comment and {@code environment} on top, and waits until it listens.
   */
  private static ServerProcess start(Path dataDir, Map<String, String> environment)
      throws IOException {
    Path jar =
        Path.of(System.getProperty("mailroom.cli.jar", "mailroom-cli/target/mailroom-cli.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no " + jar.toAbsolutePath() + ": build it (bin/bench does)");
    }
    return start(dataDir, environment, port -> serveArguments(jar, port, dataDir));
  }

  /**
   * The JVM arguments that run the command-line jar's {@code serve} on 127.0.0.1:{@code port} with
   * its data in {@code dataDir}.
   */
  public static List<String> serveArguments(Path jar, int port, Path dataDir) {
    return List.of(
        "-jar",
        jar.toAbsolutePath().toString(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        Integer.toString(port),
        "--data-dir",
        dataDir.toAbsolutePath().toString());
  }

  /**
   * Starts a server process on {@code dataDir} (emptied first): this JVM's {@code java}, the
   * options of {@code mailroom.server.java.opts}, then {@code launch}'s arguments for the port;
   * with the admin token and inbox bound of the class comment and {@code environment} on top. Waits
   * until it listens.
   */
  private static ServerProcess start(
      Path dataDir, Map<String, String> environment, IntFunction<List<String>> launch)
      throws IOException {
    deleteRecursively(dataDir);
    String java = ServerProcess.javaCommand();
    Map<String, String> env = new HashMap<>(environment);
    env.put("MAILROOM_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("MAILROOM_RETENTION_MAX_INBOX_SIZE", Integer.toString(BACKLOG_BOUND));
    String options = System.getProperty("mailroom.server.java.opts", "");
    return ServerProcess.start(
        "mailroom",
        (port, dir) -> {
          List<String> command = new ArrayList<>();
          command.add(java);
          command.add("--enable-native-access=ALL-UNNAMED");
          for (String option : options.trim().split("\\s+")) {
            if (!option.isEmpty()) {
              command.add(option);
            }
          }
          command.addAll(launch.apply(port));
          return command;
        },
        env,
        STARTUP);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String durability() {
    return durability;
  }

  /**
   * Creates a topic for {@code destination} and an agent subscribed to it per consumer. A
   * destination prepared again gets a new topic and new agents (a new generation), so nothing a
   * previous preparation left reaches it.
   */
  @Override
  public void prepare(String destination, List<String> consumers) throws Exception {
    int gen;
    synchronized (this) {
      gen = ++generation;
    }
    String topic = name(destination) + "-g" + gen;
    String publisher = createAgent(topic + "-publisher");
    Map<String, String> tokens = new ConcurrentHashMap<>();
    try (RawHttp admin = connect()) {
      StringBuilder body = new StringBuilder();
      for (String consumer : consumers) {
        String token = createAgent(admin, agentId(topic, consumer), body);
        byte[] sub =
            ("{\"pattern\":\""
                    + topic
                    + "\",\"auto_ack\":false,\"max_queue_size\":"
                    + BACKLOG_BOUND
                    + "}")
                .getBytes(StandardCharsets.UTF_8);
        int status = admin.exchange("POST", "/v1/subscriptions", token, sub, body);
        if (status != 201) {
          throw new IOException("subscribing " + consumer + " failed: " + status + " " + body);
        }
        tokens.put(consumer, token);
      }
    }
    topics.put(destination, new Topic(topic, publisher, tokens));
  }

  /**
   * Drives the server's hot paths for {@code duration}: a topic with one open consumer, four
   * closed-loop publishers over HTTP and one pipelined publisher over the WebSocket, as the
   * scenarios use them. The topic is left behind; cases use their own destinations.
   */
  @Override
  public void warmUp(Duration duration) throws Exception {
    String destination = "server-warmup";
    prepare(destination, List.of("w0"));
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong seq = new AtomicLong();
    try (Consumer consumer = consume(destination, "w0", payload -> {})) {
      Load.inParallel(
          "mailroom-warmup",
          WARMUP_PUBLISHERS + 1,
          i -> {
            try (Publisher p = publisher(destination)) {
              if (i < WARMUP_PUBLISHERS) {
                while (System.nanoTime() < end) {
                  p.publish(Payloads.create(256, System.nanoTime(), seq.getAndIncrement()));
                }
                return;
              }
              try {
                Load.pipelined(
                    p, DurablePublish.IN_FLIGHT, end, 256, (sent, x) -> {}, DurablePublish.DRAIN);
              } catch (IllegalStateException e) {
                // Best effort: a warm-up does not fail the case it comes before.
                System.err.println("server warm-up: " + e.getMessage());
              }
            }
          });
    }
  }

  @Override
  public Publisher publisher(String destination) throws Exception {
    Topic topic = topic(destination);
    URI stream = URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream");
    return new TopicPublisher(
        connect(),
        topic.name(),
        topic.publisherToken(),
        () -> StreamSender.open(http, stream, topic.publisherToken()));
  }

  @Override
  public Consumer consume(String destination, String consumer, MessageHandler handler)
      throws Exception {
    String token = topic(destination).consumerTokens().get(consumer);
    if (token == null) {
      throw new IllegalArgumentException("consumer " + consumer + " was not prepared");
    }
    StreamListener listener = new StreamListener(handler);
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream?coalesce=true");
    http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .buildAsync(uri, listener)
        .get(30, TimeUnit.SECONDS);
    return listener;
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      streamThreads.shutdownNow();
      if (redis != null) {
        redis.close();
      }
    }
  }

  private Topic topic(String destination) {
    Topic topic = topics.get(destination);
    if (topic == null) {
      throw new IllegalArgumentException("destination " + destination + " was not prepared");
    }
    return topic;
  }

  private RawHttp connect() throws IOException {
    return new RawHttp("127.0.0.1", server.port());
  }

  private String createAgent(String id) throws IOException {
    try (RawHttp admin = connect()) {
      return createAgent(admin, id, new StringBuilder());
    }
  }

  private static String createAgent(RawHttp admin, String id, StringBuilder body)
      throws IOException {
    byte[] req = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    int status = admin.exchange("POST", "/v1/agents", ADMIN_TOKEN, req, body);
    Matcher m = TOKEN.matcher(body);
    if (status != 201 || !m.find()) {
      throw new IOException("creating agent " + id + " failed: " + status + " " + body);
    }
    return m.group(1);
  }

  /** A name of {@code A-Z a-z 0-9 _ -} only, at most 40 characters: a topic or agent id part. */
  private static String name(String s) {
    String n = NOT_NAME.matcher(s).replaceAll("-");
    return n.length() > 40 ? n.substring(0, 40) : n;
  }

  private static String agentId(String topic, String consumer) {
    String id = topic + "_" + name(consumer);
    return id.length() > 64 ? id.substring(id.length() - 64) : id;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private record Topic(String name, String publisherToken, Map<String, String> consumerTokens) {}

  /**
   * Sends topic messages: {@link #publish} as {@code POST /v1/messages} over one keep-alive
   * connection, {@link #publishAsync} as {@code send} frames over the publisher agent's WebSocket
   * stream (opened on first use), many in flight at once.
   */
  private static final class TopicPublisher implements Publisher {
    private final RawHttp connection;
    private final byte[] prefix;
    private final byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
    private final String topic;
    private final String token;
    private final Callable<StreamSender> senders;
    private final StringBuilder answer = new StringBuilder();
    private @Nullable StreamSender sender;

    TopicPublisher(RawHttp connection, String topic, String token, Callable<StreamSender> senders) {
      this.connection = connection;
      this.topic = topic;
      this.token = token;
      this.senders = senders;
      this.prefix =
          ("{\"mode\":\"topic\",\"target\":\""
                  + topic
                  + "\",\"content_type\":\"application/octet-stream\",\"payload\":\"")
              .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void publish(byte[] payload) throws Exception {
      byte[] encoded = Base64.getEncoder().encode(payload);
      byte[] body = new byte[prefix.length + encoded.length + suffix.length];
      System.arraycopy(prefix, 0, body, 0, prefix.length);
      System.arraycopy(encoded, 0, body, prefix.length, encoded.length);
      System.arraycopy(suffix, 0, body, prefix.length + encoded.length, suffix.length);
      int status = connection.exchange("POST", "/v1/messages", token, body, answer);
      if (status != 201) {
        throw new IOException("publish answered " + status + ": " + answer);
      }
    }

    @Override
    public CompletableFuture<Void> publishAsync(byte[] payload) throws Exception {
      if (sender == null) {
        sender = senders.call();
      }
      return sender.send(topic, Base64.getEncoder().encodeToString(payload));
    }

    @Override
    public void close() throws IOException {
      connection.close();
      if (sender != null) {
        sender.close();
      }
    }
  }

  /**
   * Pipelined sends over one agent's WebSocket stream: {@code {"type":"send","ref":…}} frames, each
   * answered by a {@code sent} frame (or an {@code error} with its ref) once the message is
   * durable. The JDK's WebSocket allows one outstanding send, so frames queue and go out one after
   * another.
   */
  private static final class StreamSender implements WebSocket.Listener {
    private static final String SENT = "{\"type\":\"sent\",\"ref\":\"";
    private static final String ERROR = "{\"type\":\"error\",\"ref\":\"";

    private final Map<String, CompletableFuture<Void>> unanswered = new ConcurrentHashMap<>();
    private final Queue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private long nextRef; // the publisher's thread only
    private volatile @Nullable WebSocket socket;

    static StreamSender open(HttpClient http, URI stream, String token) throws Exception {
      StreamSender sender = new StreamSender();
      sender.socket =
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .buildAsync(stream, sender)
              .get(30, TimeUnit.SECONDS);
      return sender;
    }

    CompletableFuture<Void> send(String topic, String base64) {
      String ref = Long.toString(nextRef++);
      CompletableFuture<Void> answered = new CompletableFuture<>();
      unanswered.put(ref, answered);
      outbox.add(
          "{\"type\":\"send\",\"ref\":\""
              + ref
              + "\",\"message\":{\"mode\":\"topic\",\"target\":\""
              + topic
              + "\",\"content_type\":\"application/octet-stream\",\"payload\":\""
              + base64
              + "\"}}");
      pump();
      return answered;
    }

    /** Sends the next queued frame unless one is on its way; its completion sends the next. */
    private void pump() {
      while (!outbox.isEmpty() && sending.compareAndSet(false, true)) {
        String frame = outbox.poll();
        if (frame == null) {
          sending.set(false);
          continue;
        }
        WebSocket ws = socket;
        if (ws == null) {
          sending.set(false);
          return; // onOpen pumps
        }
        ws.sendText(frame, true)
            .whenComplete(
                (w, x) -> {
                  if (x != null) {
                    failAll(x);
                  }
                  sending.set(false);
                  pump();
                });
        return;
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
      pump();
    }

    @Override
    public @Nullable CompletionStage<?> onText(
        WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        if (frame.startsWith(SENT)) {
          settle(frame, SENT, null);
        } else if (frame.startsWith(ERROR)) {
          settle(frame, ERROR, new IOException("send refused: " + frame));
        }
      }
      webSocket.request(1);
      return null;
    }

    private void settle(String frame, String head, @Nullable Throwable failure) {
      String ref = frame.substring(head.length(), frame.indexOf('"', head.length()));
      CompletableFuture<Void> f = unanswered.remove(ref);
      if (f != null) {
        if (failure == null) {
          f.complete(null);
        } else {
          f.completeExceptionally(failure);
        }
      }
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
      failAll(new IOException("stream closed: " + code + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failAll(error);
    }

    private void failAll(Throwable x) {
      unanswered.values().forEach(f -> f.completeExceptionally(x));
      unanswered.clear();
    }

    void close() {
      WebSocket ws = socket;
      if (ws != null && !ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(x -> ws);
      }
    }
  }

  /**
   * One agent's WebSocket stream: hands each pushed payload to the handler, then acknowledges it.
   * The JDK's WebSocket allows one outstanding send, so ids handled meanwhile wait and go out
   * together in the next {@code ack} frame (at most 1,000 ids, what the server reads of one).
   */
  private static final class StreamListener implements WebSocket.Listener, Consumer {
    private static final String ID = "\"id\":\"";
    private static final String DELIVERY_AFTER_ID = "\",\"subscription_id\":\"";
    private static final String PAYLOAD = "\"payload\":\"";
    private static final int MAX_IDS_PER_FRAME = 1000;

    private final MessageHandler handler;
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final List<String> toAck = new ArrayList<>(); // guarded by itself
    private boolean sending; // guarded by toAck
    private volatile @Nullable WebSocket socket;

    StreamListener(MessageHandler handler) {
      this.handler = handler;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      socket = webSocket;
      webSocket.request(1);
    }

    @Override
    public @Nullable CompletionStage<?> onText(
        WebSocket webSocket, CharSequence data, boolean last) {
      if (!last) {
        partial.append(data);
      } else if (partial.isEmpty()) {
        frame(data.toString());
      } else {
        partial.append(data);
        String whole = partial.toString();
        partial.setLength(0);
        frame(whole);
      }
      webSocket.request(1);
      return null;
    }

    /**
     * A {@code message} or {@code deliveries} event: each delivery's payload to the handler, then
     * their ids to acknowledge. A delivery is where an {@code "id"} is followed by its {@code
     * "subscription_id"} (a message's own fields never are).
     */
    private void frame(String frame) {
      if (!frame.startsWith("{\"type\":\"message\"")
          && !frame.startsWith("{\"type\":\"deliveries\"")) {
        return; // connected, heartbeat; batch and error do not occur with these subscriptions
      }
      List<String> ids = new ArrayList<>();
      int from = 0;
      for (int at = frame.indexOf(ID, from); at >= 0; at = frame.indexOf(ID, from)) {
        int start = at + ID.length();
        int end = frame.indexOf('"', start);
        from = end;
        if (!frame.startsWith(DELIVERY_AFTER_ID, end)) {
          continue;
        }
        int message = frame.indexOf("\"message\":{", end);
        int payloadAt = frame.indexOf(PAYLOAD, message);
        handler.onMessage(Base64.getDecoder().decode(stringAfter(frame, PAYLOAD, message)));
        ids.add(frame.substring(start, end));
        from = payloadAt + PAYLOAD.length();
      }
      synchronized (toAck) {
        toAck.addAll(ids);
        if (sending) {
          return;
        }
        sending = true;
      }
      sendAcks();
    }

    private static String stringAfter(String frame, String key, int from) {
      int at = frame.indexOf(key, from);
      if (at < 0) {
        throw new IllegalStateException("no " + key + " in " + frame);
      }
      int start = at + key.length();
      return frame.substring(start, frame.indexOf('"', start));
    }

    private void sendAcks() {
      String frame;
      synchronized (toAck) {
        if (toAck.isEmpty()) {
          sending = false;
          return;
        }
        List<String> ids = toAck.subList(0, Math.min(toAck.size(), MAX_IDS_PER_FRAME));
        frame = "{\"type\":\"ack\",\"ids\":[\"" + String.join("\",\"", ids) + "\"]}";
        ids.clear();
      }
      WebSocket ws = socket;
      if (ws == null || ws.isOutputClosed()) {
        synchronized (toAck) {
          sending = false;
        }
        return;
      }
      ws.sendText(frame, true).whenComplete((w, x) -> sendAcks());
    }

    @Override
    public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(null);
    }

    /**
     * Closes the stream after the acknowledgements on their way have gone out (up to a second), and
     * waits for the server's answer (up to five).
     */
    @Override
    public void close() throws Exception {
      WebSocket ws = socket;
      if (ws == null) {
        return;
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (System.nanoTime() < deadline) {
        synchronized (toAck) {
          if (!sending && toAck.isEmpty()) {
            break;
          }
        }
        Thread.sleep(1);
      }
      if (!ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(x -> ws);
      }
      try {
        closed.get(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        ws.abort();
      }
    }
  }
}
