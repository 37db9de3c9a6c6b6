package dev.mailroom.protocol;

import java.util.Optional;

/** The body of {@code POST /v1/roles}. */
public record CreateRoleRequest(String name, Optional<String> description) {}
