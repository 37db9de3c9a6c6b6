package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/agents/enroll}, sent with an enrollment secret as the bearer token:
 * the new agent's id and its profile.
 */
public record EnrollRequest(
    String id,
    Optional<String> displayName,
    Optional<String> description,
    Optional<String> program,
    Optional<String> model,
    List<String> tags) {
  public EnrollRequest {
    displayName = displayName == null ? Optional.empty() : displayName;
    description = description == null ? Optional.empty() : description;
    program = program == null ? Optional.empty() : program;
    model = model == null ? Optional.empty() : model;
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** The agent {@code id} with {@code profile}. */
  public static EnrollRequest of(String id, ProfileRequest profile) {
    return new EnrollRequest(
        id,
        profile.displayName(),
        profile.description(),
        profile.program(),
        profile.model(),
        profile.tags());
  }
}
