package dev.mailroom.bench.compare;

/** {@link RedisStreamsSystem} on a {@code redis-server} of its own (AOF, fsync every second). */
class RedisStreamsSystemIT extends AbstractPeerSystemIT {
  @Override
  MessagingSystem open() {
    return RedisStreamsSystem.start();
  }
}
