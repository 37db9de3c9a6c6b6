package dev.mailroom.core.audit;

import dev.mailroom.core.MailroomException;
import java.util.Locale;

/** How an audited operation ended, from its HTTP status. */
public enum AuditOutcome {
  /** 1xx–3xx: done. */
  OK,
  /** 401, 403 and 429: refused to the caller. */
  DENIED,
  /** Any other 4xx: the request was wrong. */
  INVALID,
  /** 5xx: the server could not do it. */
  FAILED;

  public static AuditOutcome of(int status) {
    if (status == 401 || status == 403 || status == 429) {
      return DENIED;
    }
    if (status >= 500) {
      return FAILED;
    }
    return status >= 400 ? INVALID : OK;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a wire name.
   *
   * @throws MailroomException.InvalidRequest if it is none
   */
  public static AuditOutcome parse(String field, String text) {
    for (AuditOutcome o : values()) {
      if (o.wireName().equals(text)) {
        return o;
      }
    }
    throw MailroomException.InvalidRequest.field(
        field, "must be one of ok, denied, invalid, failed");
  }
}
