package dev.mailroom.testkit.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the Redis programs that the fixtures run. The {@code redis-server} on PATH comes first (CI
 * installs Debian's); without one, the Linux x86_64 build that the {@code
 * com.github.codemonstur:embedded-redis} jar ships (Redis 6.2) is copied out of the classpath once
 * per JVM, so that a developer without Redis installed can still run the tests. {@code redis-cli}
 * is optional: the fixtures speak RESP themselves and never need it.
 */
public final class RedisBinaries {
  /** The resource in the embedded-redis jar that holds the Linux x86_64 redis-server. */
  static final String BUNDLED_LINUX_AMD64 = "redis-server-6.2.6-v5-linux-amd64";

  private static @Nullable Path extracted;

  private RedisBinaries() {}

  /** The redis-server to run: the one on PATH, or else the bundled one. */
  public static Path redisServer() {
    return redisServer(pathVariable());
  }

  /** The redis-cli on PATH, if there is one. */
  public static Optional<Path> redisCli() {
    return onPath("redis-cli", pathVariable());
  }

  /** The redis-server found on {@code searchPath}, or else the bundled one. */
  static Path redisServer(String searchPath) {
    return onPath("redis-server", searchPath).orElseGet(RedisBinaries::bundled);
  }

  /** The first executable file called {@code name} in the directories of {@code searchPath}. */
  static Optional<Path> onPath(String name, String searchPath) {
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The bundled redis-server, copied to an executable temp file on the first call. */
  static synchronized Path bundled() {
    if (extracted == null || !Files.isExecutable(extracted)) {
      extracted = extract(bundledResource(System.getProperty("os.name"), arch()));
    }
    return extracted;
  }

  /** The name of the bundled binary for this platform; only Linux x86_64 is bundled. */
  static String bundledResource(String osName, String osArch) {
    boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
    boolean amd64 = osArch.equals("amd64") || osArch.equals("x86_64");
    if (linux && amd64) {
      return BUNDLED_LINUX_AMD64;
    }
    throw new IllegalStateException(
        "no redis-server on PATH and none bundled for "
            + osName
            + "/"
            + osArch
            + ": install Redis (e.g. 'apt-get install redis-server')");
  }

  private static Path extract(String resource) {
    try (InputStream in = RedisBinaries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server on PATH and "
                + resource
                + " is not on the classpath (the com.github.codemonstur:embedded-redis jar)");
      }
      Path file = Files.createTempFile("mailroom-redis-server-", "");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      // Set after the copy: replacing the file may have dropped the permissions it was created
      // with.
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }

  private static String pathVariable() {
    String path = System.getenv("PATH");
    return path == null ? "" : path;
  }

  private static String arch() {
    return System.getProperty("os.arch");
  }
}
