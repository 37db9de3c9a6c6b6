/** Mailroom cli. */
@NullMarked
package dev.mailroom.cli;

import org.jspecify.annotations.NullMarked;
