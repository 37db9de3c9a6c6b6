package dev.mailroom.core.spi;

import java.util.Objects;

/**
 * The stored access policy.
 *
 * @param version 0 before anything was stored, then 1, 2, ... one per replacement
 * @param content the document as the server encoded it; empty when the version is 0
 */
public record PolicyDocument(long version, String content) {
  public static final PolicyDocument EMPTY = new PolicyDocument(0, "");

  public PolicyDocument {
    Objects.requireNonNull(content, "content");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative");
    }
  }
}
