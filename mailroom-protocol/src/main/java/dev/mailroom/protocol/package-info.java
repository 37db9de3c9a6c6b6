/**
 * Mailroom's wire format: the records the HTTP API writes and reads, and {@link
 * dev.mailroom.protocol.Json}, the one configured JSON mapper that reads and writes them. The
 * server and the client SDK both depend on this module; it depends on nothing of Mailroom.
 *
 * <p>Field names on the wire are {@code snake_case}; an empty {@link java.util.Optional} is left
 * out of the JSON unless a component says otherwise.
 */
@NullMarked
package dev.mailroom.protocol;

import org.jspecify.annotations.NullMarked;
