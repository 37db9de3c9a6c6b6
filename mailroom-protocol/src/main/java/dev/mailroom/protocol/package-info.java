/** Mailroom protocol. */
@NullMarked
package dev.mailroom.protocol;

import org.jspecify.annotations.NullMarked;
