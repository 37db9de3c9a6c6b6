package dev.mailroom.core;

/**
 * Why a request failed. One exhaustive switch over these codes maps them to an HTTP status, an MCP
 * error and a CLI exit code.
 */
public enum ErrorCode {
  /** The request is malformed or a field is invalid. */
  INVALID_REQUEST,
  /**
   * A body's bytes do not match the checksum the caller gave for them (an upload's part, or a whole
   * upload against its declared SHA-256); sending the same bytes again will not help.
   */
  CHECKSUM_MISMATCH,
  /** No credentials, or credentials that match no agent. */
  UNAUTHENTICATED,
  /** The caller is known but may not do this. */
  FORBIDDEN,
  /** The named resource does not exist (or the caller may not know that it does). */
  NOT_FOUND,
  /** The request conflicts with the current state (e.g. a name already taken). */
  CONFLICT,
  /** The payload or body exceeds a configured size. */
  PAYLOAD_TOO_LARGE,
  /**
   * The caller holds as many of something as it may (subscriptions, topics it created); it may free
   * some and try again.
   */
  QUOTA_EXCEEDED,
  /** The request did not arrive in time: its headers or its body came too slowly. */
  REQUEST_TIMEOUT,
  /** The caller sends faster than allowed. */
  RATE_LIMITED,
  /** The server cannot serve now (store down, overloaded, shutting down). */
  UNAVAILABLE,
  /**
   * The store cannot write because its disk is full ({@link StorageFault#DISK_FULL}); the same
   * request may succeed once space is freed.
   */
  INSUFFICIENT_STORAGE
}
