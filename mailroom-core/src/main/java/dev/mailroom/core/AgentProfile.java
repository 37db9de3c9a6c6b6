package dev.mailroom.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What an agent tells its peers about itself in the directory: a display name, what its role or
 * task is, the program and model it runs on, and tags to find it by. Every field is written by the
 * agent and so untrusted wherever it is shown; here it is only bounded (lengths, a tag count) and
 * kept free of control characters, so that a listing stays small and prints on one line per field
 * (a description may hold line breaks). Its errors never repeat the text given, which is the
 * caller's own.
 *
 * @param tags sorted, without duplicates
 */
public record AgentProfile(
    Optional<String> displayName,
    Optional<String> description,
    Optional<String> program,
    Optional<String> model,
    List<Tag> tags) {
  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_DESCRIPTION_LENGTH = 1_000;
  public static final int MAX_TAGS = 16;

  /** The profile of an agent that said nothing about itself. */
  public static final AgentProfile EMPTY =
      new AgentProfile(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());

  public AgentProfile {
    check("display_name", displayName, MAX_NAME_LENGTH, false);
    check("description", description, MAX_DESCRIPTION_LENGTH, true);
    check("program", program, MAX_NAME_LENGTH, false);
    check("model", model, MAX_NAME_LENGTH, false);
    tags = List.copyOf(new TreeSet<>(Objects.requireNonNull(tags, "tags")));
    if (tags.size() > MAX_TAGS) {
      throw MailroomException.InvalidRequest.field(
          "tags", "holds " + tags.size() + " tags; at most " + MAX_TAGS + " are allowed");
    }
  }

  private static void check(
      String field, Optional<String> value, int maxLength, boolean multiline) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty()) {
      return;
    }
    String v = value.get();
    if (v.isBlank()) {
      throw MailroomException.InvalidRequest.field(
          field, "must not be blank (leave it out instead)");
    }
    if (v.codePointCount(0, v.length()) > maxLength) {
      throw MailroomException.InvalidRequest.field(
          field, "is longer than " + maxLength + " characters");
    }
    boolean control =
        v.codePoints().anyMatch(c -> Character.isISOControl(c) && !(multiline && c == '\n'));
    if (control) {
      throw MailroomException.InvalidRequest.field(
          field,
          multiline
              ? "holds control characters other than line breaks"
              : "holds control characters");
    }
  }

  /** Whether it carries this tag. */
  public boolean hasTag(Tag tag) {
    return tags.contains(tag);
  }
}
