package dev.mailroom.fuzz;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who sends a request: an agent with its roles and current token, or nobody (no token, or one that
 * authenticates no one). The token changes when a fuzzed request replaces or revokes it.
 * Thread-safe.
 */
final class Caller {
  private final String name;
  private final @Nullable String agent;
  private final List<String> roles;
  private volatile @Nullable String token;

  private Caller(String name, @Nullable String agent, List<String> roles, @Nullable String token) {
    this.name = name;
    this.agent = agent;
    this.roles = List.copyOf(roles);
    this.token = token;
  }

  static Caller agent(String id, String token, String... roles) {
    return new Caller(id + " " + List.of(roles), id, List.of(roles), token);
  }

  /** A caller that is no agent: without a token, or with one that authenticates no one. */
  static Caller nobody(String name, @Nullable String token) {
    return new Caller(name, null, List.of(), token);
  }

  String name() {
    return name;
  }

  Optional<String> agent() {
    return Optional.ofNullable(agent);
  }

  List<String> roles() {
    return roles;
  }

  Optional<String> token() {
    return Optional.ofNullable(token);
  }

  void token(String replaced) {
    this.token = replaced;
  }

  @Override
  public String toString() {
    return name;
  }
}
