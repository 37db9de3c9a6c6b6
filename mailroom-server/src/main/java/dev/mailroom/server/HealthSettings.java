package dev.mailroom.server;

/**
 * What the health checks ({@code GET /health} and {@code GET /health/ready}) hold a node to.
 *
 * @param diskFreeFloorBytes the least free space, in bytes, the disk holding the data directory
 *     must have (on SQLite, and on Redis with a spool, whose file is there too); below it the
 *     {@code disk} component is {@code DOWN} and the node is not ready. {@code 0} turns the check
 *     off (the free space is still reported)
 */
public record HealthSettings(long diskFreeFloorBytes) {
  /** 256 MiB: room for SQLite to checkpoint its log and for the spool to take an outage's sends. */
  public static final long DEFAULT_DISK_FREE_FLOOR_BYTES = 256L * 1024 * 1024;

  public static final HealthSettings DEFAULTS = new HealthSettings(DEFAULT_DISK_FREE_FLOOR_BYTES);

  public HealthSettings {
    if (diskFreeFloorBytes < 0) {
      throw new IllegalArgumentException(
          "the disk's free-space floor must be 0 (off) or more bytes, not " + diskFreeFloorBytes);
    }
  }

  /** These settings with another free-space floor; {@code 0} turns the disk check off. */
  public HealthSettings withDiskFreeFloorBytes(long bytes) {
    return new HealthSettings(bytes);
  }
}
