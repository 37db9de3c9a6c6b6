package dev.mailroom.core;

import java.util.regex.Pattern;

/** A role name, such as {@code admin} or {@code agent}: 1–64 characters of {@code a-z 0-9 _ -}. */
public record Role(String name) {
  // Declared before the constants below: they are validated by it as the class initialises.
  private static final Pattern RULE = Pattern.compile("[a-z0-9_-]{1,64}");

  public static final Role ADMIN = new Role("admin");
  public static final Role AGENT = new Role("agent");
  public static final Role OBSERVER = new Role("observer");

  public Role {
    if (!RULE.matcher(name).matches()) {
      throw Names.invalid("roles", name, "is not a valid role (1-64 characters of a-z 0-9 _ -)");
    }
  }

  public static Role of(String name) {
    return new Role(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
