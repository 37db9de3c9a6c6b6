package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.SecuritySettings;
import dev.mailroom.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.assertj.core.api.AbstractThrowableAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with TLS: it answers HTTPS and WSS with a self-signed certificate made by the JDK's
 * {@code keytool}, and nothing over plain HTTP. A bad key store stops it from starting with a
 * message naming the setting.
 */
class TlsIT {
  private static final String PASSWORD = "correct-horse-battery-staple";
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @TempDir static Path dir;
  private static final AtomicInteger starts = new AtomicInteger();
  private static @Nullable MailroomServer server;
  private static @Nullable HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path certificate = dir.resolve("server.crt");
    keytool(
        "-genkeypair -alias mailroom -keyalg EC -groupname secp256r1 -dname CN=localhost"
            + " -ext SAN=dns:localhost,ip:127.0.0.1 -validity 2 -storetype PKCS12",
        keyStore);
    keytool("-exportcert -rfc -alias mailroom", keyStore, "-file", certificate.toString());
    server = MailroomServer.start(config(keyStore, PASSWORD));
    https =
        HttpClient.newBuilder()
            .sslContext(trusting(certificate))
            .connectTimeout(TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (https != null) {
      https.close();
    }
  }

  /** A server with this key store, in a data directory of its own, without an admin token. */
  private static ServerConfig config(Path keyStore, String password) {
    return ServerConfig.builder()
        .port(0)
        .dataDir(dir.resolve("data-" + starts.incrementAndGet()))
        .security(
            SecuritySettings.DEFAULTS.withTls(
                new SecuritySettings.Tls(keyStore, password, "PKCS12")))
        .build();
  }

  /**
   * Calls the server as the bootstrap admin, whose token the server generated and saved, TLS or
   * not.
   */
  private static ApiClient admin() throws IOException {
    Path file = dir.resolve("data-1").resolve("admin.token");
    return as(Files.readString(file).strip());
  }

  private static ApiClient as(String token) {
    return new ApiClient(https(), server().baseUri(), "Bearer " + token);
  }

  @Test
  void healthAnswersOverHttps() throws Exception {
    assertThat(server().baseUri().getScheme()).isEqualTo("https");

    Response r = new ApiClient(https(), server().baseUri(), null).get("/health");

    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(Json.text(r.json(), "status")).isEqualTo("UP");
  }

  @Test
  void anAgentSendsAndReadsOverHttpsAndStreamsOverWss() throws Exception {
    Response created = admin().post("/v1/agents", "{\"id\":\"alice\",\"roles\":[\"agent\"]}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String token = Json.text(created.json(), "token");
    Messages received = new Messages();
    WebSocket socket =
        https()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(URI.create("wss://localhost:" + server().port() + "/v1/stream"), received)
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    try {
      assertThat(received.next()).contains("\"type\":\"connected\"");

      as(token).sendOk(SendAndReadIT.plain("alice", "over TLS"));

      assertThat(received.nextMessage()).contains("over TLS");
      assertThat(as(token).get("/v1/inbox").body()).contains("over TLS");
    } finally {
      socket.abort();
    }
  }

  @Test
  void plainHttpIsNotServed() {
    try (HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://localhost:" + server().port() + "/health"))
              .timeout(TIMEOUT)
              .build();

      assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aWrongPasswordStopsTheStartNamingTheSetting() {
    Path keyStore = dir.resolve("server.p12");

    assertStartFails(keyStore, "wrong")
        .hasMessage("invalid mailroom.tls.key-store-password: it does not open " + keyStore)
        .hasNoCause();
  }

  @Test
  void aMissingOrUnreadableKeyStoreStopsTheStartNamingTheSetting() throws IOException {
    Path missing = dir.resolve("missing.p12");
    Path notAKeyStore = Files.writeString(dir.resolve("not-a-key-store.p12"), "hello");

    assertStartFails(missing, PASSWORD)
        .hasMessage("invalid mailroom.tls.key-store: " + missing + " does not exist");
    assertStartFails(notAKeyStore, PASSWORD)
        .hasMessageStartingWith(
            "invalid mailroom.tls.key-store: " + notAKeyStore + " is not a readable PKCS12");
  }

  /** Starting with this key store fails before anything is set up; returns the failure. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertStartFails(
      Path keyStore, String password) {
    ServerConfig config = config(keyStore, password);
    var failure =
        assertThatThrownBy(() -> MailroomServer.start(config))
            .isInstanceOf(IllegalArgumentException.class);
    assertThat(config.dataDir().resolve("admin.token")).as("no admin was set up").doesNotExist();
    return failure;
  }

  /** Trusts exactly one certificate, as a client given the server's certificate would. */
  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trusted.setCertificateEntry(
          "mailroom", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** Runs the JDK's keytool on the key store with these options (split at spaces), then more. */
  private static void keytool(String options, Path keyStore, String... more)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(options.split(" ")));
    command.addAll(List.of("-keystore", keyStore.toString(), "-storepass", PASSWORD));
    command.addAll(List.of(more));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool %s: %s", options, output).isZero();
  }

  private static MailroomServer server() {
    if (server == null) {
      throw new IllegalStateException("the server did not start");
    }
    return server;
  }

  private static HttpClient https() {
    if (https == null) {
      throw new IllegalStateException("the server did not start");
    }
    return https;
  }

  /** The text frames a WebSocket receives, in order. */
  private static final class Messages implements WebSocket.Listener {
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    String next() throws InterruptedException {
      String frame = frames.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(frame).as("a frame within %s", TIMEOUT).isNotNull();
      return frame;
    }

    /** The next frame that is not a heartbeat. */
    String nextMessage() throws InterruptedException {
      String frame = next();
      while (frame.contains("\"type\":\"heartbeat\"")) {
        frame = next();
      }
      return frame;
    }
  }
}
