package dev.mailroom.protocol;

import java.util.List;
import java.util.Optional;

/**
 * The body of {@code PUT /v1/agents/{id}/profile}: what an agent says about itself in the
 * directory. A field absent is unset.
 *
 * @param displayName 1-100 characters
 * @param description its role or task: 1-1000 characters (line breaks allowed)
 * @param program the program it runs in
 * @param model the model it runs on
 * @param tags at most 16 tags
 */
public record ProfileRequest(
    Optional<String> displayName,
    Optional<String> description,
    Optional<String> program,
    Optional<String> model,
    List<String> tags) {
  public ProfileRequest {
    displayName = displayName == null ? Optional.empty() : displayName;
    description = description == null ? Optional.empty() : description;
    program = program == null ? Optional.empty() : program;
    model = model == null ? Optional.empty() : model;
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** An empty profile: everything unset. */
  public static ProfileRequest empty() {
    return new ProfileRequest(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
  }
}
