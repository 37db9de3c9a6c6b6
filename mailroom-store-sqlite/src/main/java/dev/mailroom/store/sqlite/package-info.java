/** Mailroom store-sqlite. */
@NullMarked
package dev.mailroom.store.sqlite;

import org.jspecify.annotations.NullMarked;
