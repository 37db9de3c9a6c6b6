package dev.mailroom.server;

import dev.mailroom.core.ErrorCode;

/**
 * How each {@link ErrorCode} looks over HTTP: the status, and the problem type and title of its
 * {@code application/problem+json} body. This is the one place that maps codes to statuses.
 */
record ErrorMapping(int status, String type, String title) {

  static ErrorMapping of(ErrorCode code) {
    return switch (code) {
      case INVALID_REQUEST -> new ErrorMapping(400, "/problems/invalid-request", "Invalid request");
      case CHECKSUM_MISMATCH ->
          new ErrorMapping(422, "/problems/checksum-mismatch", "Checksum mismatch");
      case UNAUTHENTICATED -> new ErrorMapping(401, "/problems/unauthenticated", "Unauthenticated");
      case FORBIDDEN -> new ErrorMapping(403, "/problems/forbidden", "Forbidden");
      case NOT_FOUND -> new ErrorMapping(404, "/problems/not-found", "Not found");
      case CONFLICT -> new ErrorMapping(409, "/problems/conflict", "Conflict");
      case PAYLOAD_TOO_LARGE ->
          new ErrorMapping(413, "/problems/payload-too-large", "Payload too large");
      case QUOTA_EXCEEDED -> new ErrorMapping(409, "/problems/quota-exceeded", "Quota exceeded");
      case REQUEST_TIMEOUT -> new ErrorMapping(408, "/problems/request-timeout", "Request timeout");
      case RATE_LIMITED -> new ErrorMapping(429, "/problems/rate-limited", "Too many requests");
      case UNAVAILABLE -> new ErrorMapping(503, "/problems/unavailable", "Service unavailable");
      case INSUFFICIENT_STORAGE ->
          new ErrorMapping(507, "/problems/insufficient-storage", "Insufficient storage");
    };
  }

  /**
   * The mapping for a status the framework produced on its own (unknown route, wrong method, body
   * too large): the error code's mapping when one has this status, else a generic one.
   */
  static ErrorMapping ofStatus(int status) {
    for (ErrorCode code : ErrorCode.values()) {
      ErrorMapping m = of(code);
      if (m.status == status) {
        return m;
      }
    }
    return switch (status) {
      case 405 -> new ErrorMapping(405, "/problems/method-not-allowed", "Method not allowed");
      case 406 -> new ErrorMapping(406, "/problems/not-acceptable", "Not acceptable");
      case 414 -> new ErrorMapping(414, "/problems/uri-too-long", "URI too long");
      case 415 ->
          new ErrorMapping(415, "/problems/unsupported-media-type", "Unsupported media type");
      case 416 -> new ErrorMapping(416, "/problems/range-not-satisfiable", "Range not satisfiable");
      case 501 -> new ErrorMapping(501, "/problems/not-implemented", "Not implemented");
      case 431 ->
          new ErrorMapping(
              431, "/problems/header-fields-too-large", "Request header fields too large");
      default ->
          status >= 500
              ? new ErrorMapping(500, "/problems/internal-error", "Internal server error")
              : new ErrorMapping(status, "about:blank", "HTTP " + status);
    };
  }

  static final ErrorMapping INTERNAL =
      new ErrorMapping(500, "/problems/internal-error", "Internal server error");
}
