/**
 * The Mailroom server: the HTTP API over the core {@link dev.mailroom.core.MessageService},
 * authentication, configuration and the server's lifecycle. Start one with {@link
 * dev.mailroom.server.MailroomServer#start(dev.mailroom.server.ServerConfig)}; build its
 * configuration with {@link dev.mailroom.server.ServerConfig#builder()} or load it from flags,
 * environment and a file with {@link dev.mailroom.server.ConfigLoader}.
 */
@NullMarked
package dev.mailroom.server;

import org.jspecify.annotations.NullMarked;
