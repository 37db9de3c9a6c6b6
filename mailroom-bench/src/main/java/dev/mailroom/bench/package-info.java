/** Mailroom bench. */
@NullMarked
package dev.mailroom.bench;

import org.jspecify.annotations.NullMarked;
