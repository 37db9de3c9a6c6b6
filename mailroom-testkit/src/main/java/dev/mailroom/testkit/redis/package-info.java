/**
 * Real Redis for tests, never a mock: {@link dev.mailroom.testkit.redis.RedisServer} (one
 * standalone process that can be crashed and restarted), {@link
 * dev.mailroom.testkit.redis.RedisCluster} (a cluster formed without redis-cli), {@link
 * dev.mailroom.testkit.redis.RedisSentinel} (a master, a replica and three sentinels) and {@link
 * dev.mailroom.testkit.redis.SharedRedis} (one of each per JVM for tests that only need "a Redis").
 * {@link dev.mailroom.testkit.redis.RedisBinaries} finds redis-server on PATH or falls back to the
 * one bundled in the embedded-redis jar.
 */
@NullMarked
package dev.mailroom.testkit.redis;

import org.jspecify.annotations.NullMarked;
