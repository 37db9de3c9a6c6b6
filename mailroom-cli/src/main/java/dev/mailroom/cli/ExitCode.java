package dev.mailroom.cli;

import dev.mailroom.client.MailroomClientException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of the {@code mailroom} command: one per class of error, so scripts can tell a
 * missing message from a refused token from a server that is away.
 */
enum ExitCode {
  OK(0, "success"),
  FAILURE(1, "an unexpected failure (reading a file, a bug)"),
  USAGE(2, "bad usage: an unknown option, a missing or malformed argument"),
  BAD_REQUEST(3, "the server refused the request as invalid (400)"),
  UNAUTHENTICATED(4, "no token, or the token was refused (401)"),
  FORBIDDEN(5, "the token may not do this (403)"),
  NOT_FOUND(6, "no such message, mailbox, topic, subscription, agent, rule or role (404)"),
  CONFLICT(7, "conflicts with what exists (409)"),
  TOO_LARGE(8, "the payload or request is too large (413)"),
  RATE_LIMITED(9, "too many requests; try again later (429)"),
  UNAVAILABLE(10, "the server or its store is unavailable; try again (502, 503, 504, 507)"),
  SERVER_ERROR(11, "the server failed (500) or answered what this client cannot read"),
  CONNECTION_FAILED(12, "no answer: the server is not reachable, or the connection timed out"),
  CHECK_FAILED(
      13,
      "the server answered that something is wrong: stats found it DOWN, or audit"
          + " verify found a broken chain"),
  NO_REPLY(14, "send --wait-reply: the message was sent, but no reply came in time");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  int code() {
    return code;
  }

  String meaning() {
    return meaning;
  }

  /** The exit code of an SDK failure. */
  static ExitCode of(MailroomClientException.Kind kind) {
    return switch (kind) {
      case BAD_REQUEST -> BAD_REQUEST;
      case UNAUTHENTICATED -> UNAUTHENTICATED;
      case FORBIDDEN -> FORBIDDEN;
      case NOT_FOUND -> NOT_FOUND;
      case CONFLICT -> CONFLICT;
      case TOO_LARGE -> TOO_LARGE;
      case RATE_LIMITED -> RATE_LIMITED;
      case UNAVAILABLE -> UNAVAILABLE;
      case SERVER_ERROR -> SERVER_ERROR;
      case CONNECTION_FAILED -> CONNECTION_FAILED;
    };
  }

  /** Code and meaning of each, for the commands' help. */
  static Map<String, String> table() {
    Map<String, String> table = new LinkedHashMap<>();
    for (ExitCode c : values()) {
      table.put(String.format("%2d", c.code), c.meaning);
    }
    return table;
  }
}
