package dev.mailroom.core;

import java.util.regex.Pattern;

/** A message tag: 1–64 characters of {@code A-Z a-z 0-9 _ - . :}. */
public record Tag(String value) implements Comparable<Tag> {
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  public Tag {
    if (!RULE.matcher(value).matches()) {
      throw Names.invalid(
          "tag", value, "is not a valid tag (1-64 characters of A-Z a-z 0-9 _ - . :)");
    }
  }

  public static Tag of(String value) {
    return new Tag(value);
  }

  @Override
  public int compareTo(Tag o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
