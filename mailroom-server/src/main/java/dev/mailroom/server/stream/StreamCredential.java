package dev.mailroom.server.stream;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The token a stream was opened with: by hash, to check it is still valid when tokens change, and
 * its expiry, when the stream ends.
 */
public record StreamCredential(String tokenHash, Optional<Instant> expiresAt) {
  public StreamCredential {
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
