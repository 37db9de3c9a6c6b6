/**
 * The {@code mailroom} command line: {@code serve} starts a server; the client commands ({@code
 * send}, {@code inbox}, {@code read}, {@code watch}, {@code topics}, {@code subscriptions}, {@code
 * dlq}, {@code agents}, {@code acl}, {@code roles}, {@code audit}, {@code log-level}, {@code
 * alerts}, {@code stats}) call one through the Java SDK.
 */
@NullMarked
package dev.mailroom.cli;

import org.jspecify.annotations.NullMarked;
