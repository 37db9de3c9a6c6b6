package dev.mailroom.core;

import java.util.regex.Pattern;

/** A conversation thread: 1–128 characters of {@code A-Z a-z 0-9 _ - . :}. */
public record ThreadId(String value) {
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  public ThreadId {
    if (!RULE.matcher(value).matches()) {
      throw Names.invalid(
          "thread_id", value, "is not a valid thread id (1-128 characters of A-Z a-z 0-9 _ - . :)");
    }
  }

  public static ThreadId of(String value) {
    return new ThreadId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
