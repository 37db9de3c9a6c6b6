package dev.mailroom.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One audited operation, as stored: a link of one node's hash chain.
 *
 * @param chain the chain it belongs to (one per server process): 1–64 characters of {@code A-Z a-z
 *     0-9 _ -}
 * @param index its place in the chain, from 0, without gaps
 * @param at when the operation finished, to the millisecond
 * @param requestId the request's id ({@code X-Request-Id})
 * @param actor the authenticated agent, or {@code -} when the caller was not authenticated
 * @param action what was done: the method and route, such as {@code POST /v1/messages}
 * @param resource what it was done to (a mailbox, topic, message id, agent...), or {@code -}
 * @param status the HTTP status answered
 * @param outcome {@link AuditOutcome} of the status
 * @param detail a short note (such as why a request was refused), or empty
 * @param prevHash the previous link's hash (64 zero digits for the first link)
 * @param hash the hex SHA-256 over {@code prevHash} and every other field
 */
public record AuditRecord(
    String chain,
    long index,
    Instant at,
    String requestId,
    String actor,
    String action,
    String resource,
    int status,
    AuditOutcome outcome,
    String detail,
    String prevHash,
    String hash) {
  private static final Pattern CHAIN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The previous hash of a chain's first link. */
  public static final String GENESIS = "0".repeat(64);

  /** Whether {@code name} may name a chain: 1-64 characters of {@code A-Z a-z 0-9 _ -}. */
  public static boolean isChainName(String name) {
    return CHAIN.matcher(name).matches();
  }

  public AuditRecord {
    Objects.requireNonNull(chain, "chain");
    if (!isChainName(chain)) {
      throw new IllegalArgumentException("invalid audit chain name: " + chain);
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must not be negative");
    }
    at = at.truncatedTo(ChronoUnit.MILLIS);
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** Where it sorts among all records. */
  public AuditPosition position() {
    return new AuditPosition(at, chain, index);
  }
}
