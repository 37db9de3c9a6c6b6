package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * An error answer, {@code application/problem+json} as in RFC 9457.
 *
 * @param type a URI reference naming the kind of problem, e.g. {@code /problems/invalid-request}
 * @param title a short summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong in this request, for a human
 * @param requestId the server's id for the request (also in the {@code X-Request-Id} header)
 * @param errors for validation problems, every invalid field; empty (and left out) otherwise
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    Optional<String> requestId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldErrorView> errors) {

  /** The media type of a problem document. */
  public static final String MEDIA_TYPE = "application/problem+json";

  public Problem {
    errors = errors == null ? List.of() : List.copyOf(errors);
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
