package dev.mailroom.core.blob;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checksum a part was sent with and is recorded under: a SHA-256, or a CRC-32C (Castagnoli),
 * the cheap check object stores use for parts. Either guards the part on its way; the whole file's
 * SHA-256, taken at completion, is what a blob is known by.
 *
 * <p>Stored as text: a SHA-256 as its 64 hex digits (as every part was recorded before CRC-32C was
 * accepted), a CRC-32C as {@code crc32c:} and 8 hex digits.
 *
 * @param algorithm which checksum
 * @param hex its value, lowercase hex: 64 digits for a SHA-256, 8 for a CRC-32C
 */
public record PartChecksum(Algorithm algorithm, String hex) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern CRC32C = Pattern.compile("[0-9a-f]{8}");
  private static final String CRC32C_PREFIX = "crc32c:";

  /** The algorithms a part's checksum may use, by their RFC 9530 names. */
  public enum Algorithm {
    SHA_256("sha-256", 32),
    CRC32C("crc32c", 4);

    private final String wireName;
    private final int bytes;

    Algorithm(String wireName, int bytes) {
      this.wireName = wireName;
      this.bytes = bytes;
    }

    /** Its name in a {@code Content-Digest} header. */
    public String wireName() {
      return wireName;
    }

    /** How many bytes a value has. */
    public int bytes() {
      return bytes;
    }
  }

  public PartChecksum {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    Pattern valid = algorithm == Algorithm.SHA_256 ? SHA256 : CRC32C;
    if (!valid.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "a " + algorithm.wireName() + " is " + algorithm.bytes() * 2 + " lowercase hex digits");
    }
  }

  public static PartChecksum sha256(String hex) {
    return new PartChecksum(Algorithm.SHA_256, hex);
  }

  public static PartChecksum crc32c(String hex) {
    return new PartChecksum(Algorithm.CRC32C, hex);
  }

  /** The checksum of {@code algorithm} whose value is {@code value}. */
  public static PartChecksum of(Algorithm algorithm, byte[] value) {
    return new PartChecksum(algorithm, HexFormat.of().formatHex(value));
  }

  /** The checksum {@link #stored()} wrote. */
  public static PartChecksum parse(String stored) {
    return stored.startsWith(CRC32C_PREFIX)
        ? crc32c(stored.substring(CRC32C_PREFIX.length()))
        : sha256(stored);
  }

  /** Whether {@link #parse} takes {@code stored}. */
  public static boolean isValid(String stored) {
    return stored.startsWith(CRC32C_PREFIX)
        ? CRC32C.matcher(stored.substring(CRC32C_PREFIX.length())).matches()
        : SHA256.matcher(stored).matches();
  }

  /** How a store records it: see the class comment. */
  public String stored() {
    return algorithm == Algorithm.SHA_256 ? hex : CRC32C_PREFIX + hex;
  }

  @Override
  public String toString() {
    return algorithm.wireName() + ":" + hex;
  }
}
