package dev.mailroom.client;

/**
 * Hears how far an upload or a download has come, for a progress bar. The SDK calls it from the
 * transfer's own threads, but never from two at once, and {@code done} never goes down; keep it
 * quick (it delays the transfer).
 */
@FunctionalInterface
public interface TransferProgress {
  /** Shows nothing. */
  TransferProgress NONE = (done, total) -> {};

  /**
   * @param done the bytes the server has stored (an upload: whole parts) or that were written to
   *     the file (a download), including those there before a resume
   * @param total the file's size
   */
  void update(long done, long total);
}
