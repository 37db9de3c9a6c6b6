package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClientException;

/** A failed call in a sentence an LLM can act on: what went wrong and what to do about it. */
final class Failures {
  private Failures() {}

  static String describe(MailroomClientException e) {
    // A validation problem's detail already names each field: "target: not a valid name".
    StringBuilder s = new StringBuilder(label(e)).append(": ").append(e.detail());
    s.append(advice(e.kind()));
    e.requestId().ifPresent(id -> s.append(" [request ").append(id).append(']'));
    return s.toString();
  }

  private static String label(MailroomClientException e) {
    return switch (e.kind()) {
      case BAD_REQUEST -> "refused as invalid";
      case UNAUTHENTICATED -> "not authenticated";
      case FORBIDDEN -> "forbidden";
      case NOT_FOUND -> "not found";
      case CONFLICT -> "conflict";
      case TOO_LARGE -> "too large";
      case RATE_LIMITED -> "rate limited";
      case UNAVAILABLE -> "Mailroom is unavailable";
      // An answer that came but could not be decoded is not a failure of the server's.
      case SERVER_ERROR ->
          e.status() / 100 == 2 ? "cannot decode Mailroom's answer" : "Mailroom failed";
      case CONNECTION_FAILED -> "cannot reach Mailroom";
    };
  }

  private static String advice(MailroomClientException.Kind kind) {
    return switch (kind) {
      case UNAUTHENTICATED -> "; the agent's token is missing, wrong, expired or revoked";
      case UNAVAILABLE, CONNECTION_FAILED -> "; try again later";
      default -> "";
    };
  }
}
