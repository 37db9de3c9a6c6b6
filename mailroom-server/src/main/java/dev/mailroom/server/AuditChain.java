package dev.mailroom.server;

import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One server process's hash chain of audit records, and the hash rule every chain follows.
 *
 * <p>A record's hash is the hex SHA-256 of the ASCII tag {@code mailroom-audit-v1}, its
 * predecessor's hash (as 64 ASCII hex digits; {@link AuditRecord#GENESIS} for the first link) and a
 * canonical encoding of every other field, in the record's order: each text as its UTF-8 length (4
 * bytes, big-endian) and bytes, the index and the time (epoch milliseconds) as 8 bytes, the status
 * as 4. Length prefixes make the encoding unambiguous: no two different records encode alike,
 * whatever their texts hold.
 *
 * <p>Not thread-safe: the {@link AuditLog}'s writer thread is the only one that links records.
 */
final class AuditChain {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] DOMAIN = "mailroom-audit-v1".getBytes(StandardCharsets.US_ASCII);

  private final String name;
  private long nextIndex;
  private String lastHash = AuditRecord.GENESIS;

  AuditChain(String name) {
    this.name = name;
  }

  /** A chain with a fresh random name (16 hex digits), as every server start gets. */
  static AuditChain create() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return new AuditChain(HEX.formatHex(bytes));
  }

  String name() {
    return name;
  }

  /** The entry as the chain's next link. */
  AuditRecord link(AuditLog.Entry e) {
    AuditRecord linked = withHash(e, hashOf(withHash(e, "")));
    nextIndex++;
    lastHash = linked.hash();
    return linked;
  }

  private AuditRecord withHash(AuditLog.Entry e, String hash) {
    return new AuditRecord(
        name,
        nextIndex,
        e.at(),
        e.requestId(),
        e.actor(),
        e.action(),
        e.resource(),
        e.status(),
        AuditOutcome.of(e.status()),
        e.detail(),
        lastHash,
        hash);
  }

  /** The hash a record should carry: over its {@code prevHash} and every other field but hash. */
  static String hashOf(AuditRecord r) {
    MessageDigest digest = Tokens.newDigest();
    digest.update(DOMAIN);
    digest.update(r.prevHash().getBytes(StandardCharsets.US_ASCII));
    text(digest, r.chain());
    digest.update(ByteBuffer.allocate(16).putLong(r.index()).putLong(r.at().toEpochMilli()).flip());
    text(digest, r.requestId());
    text(digest, r.actor());
    text(digest, r.action());
    text(digest, r.resource());
    digest.update(ByteBuffer.allocate(4).putInt(r.status()).flip());
    text(digest, r.outcome().wireName());
    text(digest, r.detail());
    return HEX.formatHex(digest.digest());
  }

  private static void text(MessageDigest digest, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).flip());
    digest.update(bytes);
  }
}
