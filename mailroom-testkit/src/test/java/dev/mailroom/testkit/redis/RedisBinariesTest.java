package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding redis-server on a PATH, and the fallback to the binary in the embedded-redis jar when the
 * PATH has none (tested with an empty PATH, whatever this machine has installed).
 */
class RedisBinariesTest {
  @Test
  void findsAnExecutableOnTheGivenPath(@TempDir Path dir) throws IOException {
    Path fake = Files.writeString(dir.resolve("redis-server"), "#!/bin/sh\n");
    assertThat(RedisBinaries.onPath("redis-server", "/nonexistent:" + dir)).isEmpty();
    assertThat(fake.toFile().setExecutable(true)).isTrue();
    assertThat(RedisBinaries.onPath("redis-server", "/nonexistent::" + dir)).contains(fake);
    assertThat(RedisBinaries.redisServer("/nonexistent:" + dir)).isEqualTo(fake);
  }

  @Test
  void fallsBackToTheBundledBinaryWhenThePathHasNone() throws Exception {
    Path server = RedisBinaries.redisServer("");
    assertThat(server).isExecutable();
    assertThat(RedisBinaries.redisServer("")).as("extracted once per JVM").isEqualTo(server);
    Process version = new ProcessBuilder(server.toString(), "--version").start();
    String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(version.waitFor()).isZero();
    assertThat(output).startsWith("Redis server v=6.2");
  }

  @Test
  void bundlesOnlyLinuxX8664() {
    assertThat(RedisBinaries.bundledResource("Linux", "amd64"))
        .isEqualTo(RedisBinaries.BUNDLED_LINUX_AMD64);
    assertThat(RedisBinaries.bundledResource("Linux", "x86_64"))
        .isEqualTo(RedisBinaries.BUNDLED_LINUX_AMD64);
    assertThatThrownBy(() -> RedisBinaries.bundledResource("Mac OS X", "aarch64"))
        .hasMessageContaining("install Redis");
  }
}
