/**
 * The storage SPI: what a backend (embedded SQLite, Redis) implements. Every backend passes the
 * contract suite in {@code mailroom-testkit}.
 */
@NullMarked
package dev.mailroom.core.spi;

import org.jspecify.annotations.NullMarked;
