/** Mailroom testkit. */
@NullMarked
package dev.mailroom.testkit;

import org.jspecify.annotations.NullMarked;
