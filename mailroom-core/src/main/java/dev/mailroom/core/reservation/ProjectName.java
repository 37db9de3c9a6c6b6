package dev.mailroom.core.reservation;

import dev.mailroom.core.MailroomException;
import java.util.regex.Pattern;

/**
 * The name of a project whose paths agents reserve (a repository, say): 1–128 characters of {@code
 * A-Z a-z 0-9 . _ -}, beginning with a letter or digit. It is only a name: the server knows no
 * projects, and two agents mean the same project by using the same name.
 */
public record ProjectName(String value) implements Comparable<ProjectName> {
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public ProjectName {
    if (!RULE.matcher(value).matches()) {
      throw MailroomException.InvalidRequest.field(
          "project",
          "is not a valid project name (1-128 characters of A-Z a-z 0-9 . _ -, beginning with a"
              + " letter or digit)");
    }
  }

  public static ProjectName of(String value) {
    return new ProjectName(value);
  }

  @Override
  public int compareTo(ProjectName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
