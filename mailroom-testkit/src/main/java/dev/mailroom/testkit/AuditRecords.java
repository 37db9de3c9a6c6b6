package dev.mailroom.testkit;

import dev.mailroom.core.audit.AuditOutcome;
import dev.mailroom.core.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Audit records for tests, every field set. Each record's hash is a SHA-256 over its previous hash
 * and some of its fields: a stand-in that links the records, not the server's chain hash.
 */
public final class AuditRecords {
  static final String[] ACTORS = {"alice", "bob", "-"};
  static final String[] ACTIONS = {
    "POST /v1/messages", "GET /v1/inbox", "DELETE /v1/subscriptions/{id}", "GET /v1/audit"
  };
  static final String[] RESOURCES = {"bob", "ai.models", "-", "01HZX3", "team.review"};
  static final int[] STATUSES = {201, 200, 403, 401, 404, 500, 429};

  private AuditRecords() {}

  /** A record with every field given; its hash links it to {@code prevHash}. */
  public static AuditRecord record(
      String chain,
      long index,
      Instant at,
      String actor,
      String action,
      String resource,
      int status,
      String detail,
      String prevHash) {
    String hash =
        sha256(String.join("|", prevHash, chain, Long.toString(index), at.toString(), actor));
    return new AuditRecord(
        chain,
        index,
        at,
        "req-" + chain + "-" + index,
        actor,
        action,
        resource,
        status,
        AuditOutcome.of(status),
        detail,
        prevHash,
        hash);
  }

  /**
   * {@code count} linked records of one chain from index {@code from} (the first linked to {@link
   * AuditRecord#GENESIS}), one millisecond apart from {@code start}, with varying actors, actions,
   * resources and statuses.
   */
  public static List<AuditRecord> chain(String chain, long from, int count, Instant start) {
    List<AuditRecord> out = new ArrayList<>();
    String prev = AuditRecord.GENESIS;
    for (int i = 0; i < count; i++) {
      AuditRecord r =
          record(
              chain,
              from + i,
              start.plusMillis(i),
              ACTORS[i % ACTORS.length],
              ACTIONS[i % ACTIONS.length],
              RESOURCES[i % RESOURCES.length],
              STATUSES[i % STATUSES.length],
              "",
              prev);
      out.add(r);
      prev = r.hash();
    }
    return out;
  }

  /** A record with another actor and every other field (its hashes too) as it was: a forgery. */
  public static AuditRecord withActor(AuditRecord r, String actor) {
    return new AuditRecord(
        r.chain(),
        r.index(),
        r.at(),
        r.requestId(),
        actor,
        r.action(),
        r.resource(),
        r.status(),
        r.outcome(),
        r.detail(),
        r.prevHash(),
        r.hash());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
