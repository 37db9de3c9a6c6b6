/** Mailroom server. */
@NullMarked
package dev.mailroom.server;

import org.jspecify.annotations.NullMarked;
