package dev.mailroom.core.access;

import dev.mailroom.core.AgentId;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.Principal;
import dev.mailroom.core.Role;
import java.util.Objects;

/**
 * Whom a rule is about: one agent ({@code agent:alice}), every holder of a role ({@code
 * role:reviewers}), or every authenticated caller ({@code *}).
 */
public record Grantee(Kind kind, String name) {
  /** The kinds, from the most specific. */
  public enum Kind {
    AGENT,
    ROLE,
    EVERYONE
  }

  public static final Grantee EVERYONE = new Grantee(Kind.EVERYONE, "*");

  public Grantee {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  public static Grantee agent(AgentId id) {
    return new Grantee(Kind.AGENT, id.value());
  }

  public static Grantee role(Role role) {
    return new Grantee(Kind.ROLE, role.name());
  }

  /**
   * Parses {@code agent:<id>}, {@code role:<name>} or {@code *}.
   *
   * @throws MailroomException.InvalidRequest on {@code field} otherwise
   */
  public static Grantee parse(String field, String text) {
    if (text.equals("*")) {
      return EVERYONE;
    }
    try {
      if (text.startsWith("agent:")) {
        return agent(AgentId.of(text.substring(6)));
      }
      if (text.startsWith("role:")) {
        return role(Role.of(text.substring(5)));
      }
    } catch (MailroomException.InvalidRequest e) {
      throw MailroomException.InvalidRequest.field(field, e.getMessage());
    }
    throw MailroomException.InvalidRequest.field(
        field, "must be agent:<id>, role:<name> or * (everyone)");
  }

  /** Whether the rule applies to this caller. */
  public boolean covers(Principal who) {
    return switch (kind) {
      case AGENT -> who.id().value().equals(name);
      case ROLE -> who.roles().contains(Role.of(name));
      case EVERYONE -> true;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AGENT -> "agent:" + name;
      case ROLE -> "role:" + name;
      case EVERYONE -> "*";
    };
  }
}
