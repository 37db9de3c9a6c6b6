package dev.mailroom.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real standalone redis-server: commands, crash and restart, options, clean-up, start failures.
 */
class RedisServerIT {
  @Test
  void answersSetAndGetWithTheDefaultDurability() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Resp resp = Resp.connect(redis.port())) {
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(resp.call("SET", "greeting", "hello")).isEqualTo("OK");
      assertThat(resp.call("GET", "greeting")).isEqualTo("hello");
      assertThat(resp.call("GET", "missing")).isNull();
      assertThat(resp.call("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "yes"));
      assertThat(resp.call("CONFIG", "GET", "appendfsync"))
          .isEqualTo(List.of("appendfsync", "everysec"));
      assertThat(resp.call("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
      assertThat(resp.call("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
      assertThat(resp.call("CONFIG", "GET", "dir"))
          .isEqualTo(List.of("dir", redis.dataDir().toRealPath().toString()));
    }
  }

  @Test
  void killAndRestartKeepAKeyOfTheAppendOnlyFileWithFsyncAlways() {
    try (RedisServer redis =
        RedisServer.start(RedisServer.Options.defaults().appendFsync("always"))) {
      int port = redis.port();
      assertThat(Resp.once(port, "SET", "durable", "yes")).isEqualTo("OK");

      redis.kill();
      assertThat(redis.isRunning()).isFalse();
      assertThatThrownBy(() -> Resp.once(port, "PING")).isInstanceOf(UncheckedIOException.class);

      assertThat(redis.restart()).isSameAs(redis);
      assertThat(redis.port()).isEqualTo(port);
      assertThat(Resp.once(port, "GET", "durable")).isEqualTo("yes");
    }
  }

  @Test
  void withoutTheAppendOnlyFileAKillLosesTheKey() {
    try (RedisServer redis = RedisServer.start(RedisServer.Options.defaults().appendOnly(false))) {
      Resp.once(redis.port(), "SET", "fleeting", "yes");
      redis.kill();
      redis.restart();
      assertThat(Resp.once(redis.port(), "GET", "fleeting")).isNull();
    }
  }

  @Test
  void extraArgsWinOverTheConfig() {
    RedisServer.Options options =
        RedisServer.Options.defaults().extraArgs(List.of("--maxmemory", "12mb"));
    try (RedisServer redis = RedisServer.start(options)) {
      assertThat(Resp.once(redis.port(), "CONFIG", "GET", "maxmemory"))
          .isEqualTo(List.of("maxmemory", Integer.toString(12 * 1024 * 1024)));
    }
  }

  @Test
  void closeStopsTheProcessAndDeletesItsDirectoryOnce() {
    RedisServer redis = RedisServer.start();
    Path dir = redis.dataDir();
    assertThat(dir).isDirectory();

    redis.close();
    redis.close();

    assertThat(redis.isRunning()).isFalse();
    assertThat(dir).doesNotExist();
    assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aServerThatCannotStartFailsWithItsOutput() {
    RedisServer.Options broken =
        RedisServer.Options.defaults().extraArgs(List.of("--no-such-directive", "1"));
    assertThatThrownBy(() -> RedisServer.start(broken))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with status")
        .hasMessageContaining("no-such-directive");
  }

  @Test
  void refusesAnUnknownFsyncPolicy() {
    assertThatThrownBy(() -> RedisServer.Options.defaults().appendFsync("sometimes"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
