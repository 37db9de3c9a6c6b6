package dev.mailroom.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer tokens: {@code mr_} followed by 32 random bytes in unpadded base64url. The server keeps a
 * token only as the hex SHA-256 of its UTF-8 bytes. Thread-safe.
 */
final class Tokens {
  static final String PREFIX = "mr_";
  private static final int RANDOM_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final MessageDigest SHA_256 = sha256();

  private Tokens() {}

  /** A fresh token. */
  static String generate() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hex SHA-256 of a token: what the agent store keeps. */
  static String hash(String token) {
    return HEX.formatHex(newDigest().digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Cloning a prototype is much cheaper than a provider lookup on every request. */
  static MessageDigest newDigest() {
    try {
      return (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      return sha256();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
