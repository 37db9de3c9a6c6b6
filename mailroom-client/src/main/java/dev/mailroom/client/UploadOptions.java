package dev.mailroom.client;

import java.util.Objects;
import java.util.Optional;

/**
 * How {@link Uploads} sends a file: its media type, the size of its parts, how many parts go at
 * once, and who hears of the progress. Immutable and thread-safe; the builder is not.
 *
 * <pre>{@code
 * UploadOptions o = UploadOptions.builder().contentType("text/plain")
 *     .partSize(16 * 1024 * 1024).progress((done, total) -> bar.show(done, total)).build();
 * }</pre>
 *
 * @param contentType the media type recipients get; for a {@code Path}, when absent, the one the
 *     platform guesses from its name, else the server's default ({@code application/octet-stream})
 * @param partSize the size of every part but the last ({@value #MIN_PART_SIZE} … {@value
 *     #MAX_PART_SIZE}); the server's default (8 MiB) when absent
 * @param parallelism how many parts are sent at once, each by its own thread
 * @param progress hears the bytes stored so far
 */
public record UploadOptions(
    Optional<String> contentType,
    Optional<Integer> partSize,
    int parallelism,
    TransferProgress progress) {

  public static final int MIN_PART_SIZE = 64 * 1024;
  public static final int MAX_PART_SIZE = 64 * 1024 * 1024;
  public static final int DEFAULT_PARALLELISM = 4;
  public static final UploadOptions DEFAULTS = builder().build();

  public UploadOptions {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(partSize, "partSize");
    Objects.requireNonNull(progress, "progress");
    if (partSize.isPresent()
        && (partSize.get() < MIN_PART_SIZE || partSize.get() > MAX_PART_SIZE)) {
      throw new IllegalArgumentException(
          "the part size must be " + MIN_PART_SIZE + " to " + MAX_PART_SIZE + " bytes");
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("parallelism must be 1 to 64");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** These options with another progress listener. */
  public UploadOptions withProgress(TransferProgress value) {
    return new UploadOptions(contentType, partSize, parallelism, value);
  }

  /** Sets the parts of {@link UploadOptions}; each starts at its default. Not thread-safe. */
  public static final class Builder {
    private Optional<String> contentType = Optional.empty();
    private Optional<Integer> partSize = Optional.empty();
    private int parallelism = DEFAULT_PARALLELISM;
    private TransferProgress progress = TransferProgress.NONE;

    private Builder() {}

    /** A media type without parameters, such as {@code text/plain}. */
    public Builder contentType(String value) {
      contentType = Optional.of(value);
      return this;
    }

    /** Default: the server's (8 MiB unless configured otherwise). */
    public Builder partSize(int bytes) {
      partSize = Optional.of(bytes);
      return this;
    }

    /** Default {@value UploadOptions#DEFAULT_PARALLELISM}. */
    public Builder parallelism(int value) {
      parallelism = value;
      return this;
    }

    /** Default {@link TransferProgress#NONE}. */
    public Builder progress(TransferProgress value) {
      progress = Objects.requireNonNull(value, "progress");
      return this;
    }

    public UploadOptions build() {
      return new UploadOptions(contentType, partSize, parallelism, progress);
    }
  }
}
