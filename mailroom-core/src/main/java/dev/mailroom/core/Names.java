package dev.mailroom.core;

import java.util.regex.Pattern;

/** The name rules (docs/API.md, "Names"), in one place. */
final class Names {
  static final int MAX_AGENT_ID = 64;
  static final int MAX_NAME = 256;
  static final int MAX_SEGMENTS = 16;
  static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");

  private Names() {}

  static MailroomException.InvalidRequest invalid(String what, String value, String rule) {
    return MailroomException.InvalidRequest.field(what, "'" + abbreviate(value) + "' " + rule);
  }

  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
