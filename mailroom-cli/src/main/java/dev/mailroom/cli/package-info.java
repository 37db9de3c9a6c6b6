/**
 * The {@code mailroom} command line: {@code serve} starts a server; client commands follow in later
 * issues.
 */
@NullMarked
package dev.mailroom.cli;

import org.jspecify.annotations.NullMarked;
