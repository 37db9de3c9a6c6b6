package dev.mailroom.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI image tarball: its index, manifest and config say what a container runtime will do
 * (entrypoint, non-root user, exposed port), every blob matches its digest, and its layers,
 * unpacked in order into a root file system, run the server.
 *
 * <p>How it runs the image without a container runtime: as root (the CI's case), the entrypoint
 * runs in a chroot of that root file system as the image's user, so only what the image holds is
 * used: its /bin/sh, its C libraries and dynamic loader, its Java runtime. A chroot lacks two
 * things a container has, and the test makes up for them: there is no /proc, so the dynamic loader
 * cannot resolve the runtime's {@code $ORIGIN} library path and is given LD_LIBRARY_PATH instead;
 * and Java cannot find the data directory's mount in the host's mount table, so the admin token
 * comes from MAILROOM_ADMIN_TOKEN rather than a file the server would write (the disk check is DOWN
 * for the same reason, which /health reports without failing). Not as root, the launcher from the
 * unpacked image runs on the host, with the host's /bin/sh and dynamic loader.
 */
class ImageTarballIT {
  private static final Path IMAGE = Path.of(System.getProperty("dist.image"));
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String IMAGE_USER = "10001:10001";

  @Test
  void theImageIsDescribedAndRuns(@TempDir Path tmp) throws Exception {
    Path layout = Files.createDirectory(tmp.resolve("layout"));
    Launched.run(List.of("tar", "-xf", IMAGE.toString(), "-C", layout.toString()));
    assertThat(layout.resolve("oci-layout")).content().contains("\"imageLayoutVersion\"");
    try (Stream<Path> blobs = Files.list(layout.resolve("blobs/sha256"))) {
      for (Path blob : blobs.toList()) {
        assertThat(sha256(blob)).as("digest of %s", blob).isEqualTo(blob.getFileName().toString());
      }
    }

    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.get("manifests")).hasSize(1);
    JsonNode manifest = blob(layout, index.get("manifests").get(0));
    assertThat(manifest.get("mediaType").asString())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    JsonNode config = blob(layout, manifest.get("config"));
    assertThat(config.get("os").asString()).isEqualTo("linux");
    assertThat(config.get("architecture").asString()).isEqualTo("amd64");

    JsonNode container = config.get("config");
    List<String> entrypoint = strings(container.get("Entrypoint"));
    assertThat(entrypoint)
        .containsExactly(
            "/opt/mailroom/bin/mailroom",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "8080",
            "--data-dir",
            "/var/lib/mailroom");
    assertThat(container.get("User").asString()).isEqualTo(IMAGE_USER);
    assertThat(container.get("ExposedPorts").has("8080/tcp")).isTrue();

    List<JsonNode> layers = new ArrayList<>();
    manifest.get("layers").forEach(layers::add);
    assertThat(config.get("rootfs").get("diff_ids")).hasSameSizeAs(layers);
    Path root = Files.createDirectory(tmp.resolve("rootfs"));
    for (JsonNode layer : layers) {
      assertThat(layer.get("mediaType").asString())
          .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      Path file = digestPath(layout, layer);
      Launched.run(List.of("tar", "-xzf", file.toString(), "-C", root.toString()));
    }
    try (Stream<Path> all = Files.walk(root)) {
      assertThat(all.filter(p -> p.getFileName().toString().startsWith(".wh.")))
          .as("no whiteouts: no layer deletes what another added")
          .isEmpty();
    }
    assertThat(root.resolve("opt/mailroom/bin/mailroom")).isExecutable();
    assertThat(root.resolve("opt/mailroom/runtime/bin/java")).isExecutable();
    assertThat(root.resolve("opt/mailroom/lib/mailroom-cli.jar")).isRegularFile();
    assertThat(root.resolve("bin/sh")).isExecutable();
    assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).isExecutable();
    assertThat(root.resolve("lib/x86_64-linux-gnu/libc.so.6")).isRegularFile();
    assertThat(root.resolve("etc/passwd")).content().contains("mailroom:x:10001:10001:");
    assertThat(root.resolve("tmp")).isDirectory();

    boolean asRoot = uid(Path.of("/proc/self")) == 0;
    Path dataDir = root.resolve("var/lib/mailroom");
    if (asRoot) {
      assertThat(uid(dataDir)).as("the data directory's owner").isEqualTo(10001);
    }
    int port = Launched.freePort();
    List<String> serve = new ArrayList<>(entrypoint);
    serve.set(serve.indexOf("--port") + 1, Integer.toString(port));
    // Not on every interface of the CI machine, only for the test.
    serve.set(serve.indexOf("--host") + 1, "127.0.0.1");
    List<String> command = new ArrayList<>();
    Map<String, String> env;
    if (asRoot) {
      command.addAll(List.of(chroot(), "--userspec=" + IMAGE_USER, root.toString()));
      command.addAll(serve);
      env =
          Map.of(
              "PATH", "/bin",
              "LD_LIBRARY_PATH", "/opt/mailroom/runtime/lib",
              "MAILROOM_ADMIN_TOKEN", "image-test-admin-token-0123456789",
              "MAILROOM_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    } else {
      serve.set(0, root.resolve(serve.getFirst().substring(1)).toString());
      serve.set(serve.indexOf("--data-dir") + 1, dataDir.toString());
      command.addAll(serve);
      env = Map.of("PATH", "/usr/bin:/bin", "MAILROOM_JAVA_OPTS", "-Xmx256m");
    }
    try (Launched server = Launched.start(command, env, port, tmp.resolve("server.log"))) {
      var health = server.get("/health");
      assertThat(health.statusCode()).as(server.output()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"UP\"");
      assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    }
    if (asRoot) {
      assertThat(uid(dataDir.resolve("mailroom.db")))
          .as("written as the image's user")
          .isEqualTo(10001);
    }
  }

  private static JsonNode blob(Path layout, JsonNode descriptor) throws IOException {
    Path file = digestPath(layout, descriptor);
    assertThat(Files.size(file)).isEqualTo(descriptor.get("size").asLong());
    return JSON.readTree(file.toFile());
  }

  private static Path digestPath(Path layout, JsonNode descriptor) throws IOException {
    String digest = descriptor.get("digest").asString();
    assertThat(digest).startsWith("sha256:");
    Path file = layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    assertThat(Files.size(file)).isEqualTo(descriptor.get("size").asLong());
    return file;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asString()));
    return values;
  }

  private static int uid(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:uid");
  }

  private static String chroot() {
    for (String candidate : List.of("/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("no chroot command (coreutils) on this machine");
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
