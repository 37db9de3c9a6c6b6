package dev.mailroom.server.api;

/** An agent created through {@code POST /v1/agents}, with the token that was shown once. */
record Agent(String id, String token) {
  @Override
  public String toString() {
    return id;
  }
}
