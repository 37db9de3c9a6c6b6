package dev.mailroom.client;

/** JSON for tests (shared with the CLI's and MCP's tests). */
public final class JsonTrees {
  private JsonTrees() {}

  /** An array nested {@code levels} deep: {@code [[...]]}. */
  public static String nested(int levels) {
    return "[".repeat(levels) + "]".repeat(levels);
  }
}
