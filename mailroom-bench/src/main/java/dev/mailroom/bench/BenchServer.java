package dev.mailroom.bench;

import dev.mailroom.server.MailroomServer;
import dev.mailroom.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A Mailroom server started in this JVM on a fresh data directory, with agents to send as. */
final class BenchServer implements AutoCloseable {
  static final String ADMIN_TOKEN = "mr_bench_admin_token_not_for_production_use_0000";
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

  private final MailroomServer server;

  private BenchServer(MailroomServer server) {
    this.server = server;
  }

  /** Starts a server on {@code dataDir}, emptied first so every run starts from nothing. */
  static BenchServer start(Path dataDir) throws IOException {
    deleteRecursively(dataDir);
    return new BenchServer(
        MailroomServer.start(
            ServerConfig.builder().port(0).dataDir(dataDir).adminToken(ADMIN_TOKEN).build()));
  }

  int port() {
    return server.port();
  }

  RawHttp connect() throws IOException {
    return new RawHttp("127.0.0.1", port());
  }

  /** Creates agents {@code prefix0..prefix(n-1)} and returns their tokens in order. */
  List<String> createAgents(String prefix, int n) throws IOException {
    List<String> tokens = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    try (RawHttp http = connect()) {
      for (int i = 0; i < n; i++) {
        byte[] req = ("{\"id\":\"" + prefix + i + "\"}").getBytes(StandardCharsets.UTF_8);
        int status = http.exchange("POST", "/v1/agents", ADMIN_TOKEN, req, body);
        Matcher m = TOKEN.matcher(body);
        if (status != 201 || !m.find()) {
          throw new IllegalStateException("creating agent failed: " + status + " " + body);
        }
        tokens.add(m.group(1));
      }
    }
    return tokens;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
