/**
 * The embedded storage backend: SQLite in WAL mode with group commit. The public entry point is
 * {@link dev.mailroom.store.sqlite.SqliteStorage#open}; everything else is package-private.
 *
 * <p>Threading: one platform thread ({@code mailroom-sqlite-writer}) owns the only write connection
 * and runs every write, in batches of one transaction and one sync each; reads borrow one of a
 * fixed set of read-only connections. Callers (typically virtual threads) block until their write
 * is durable or their read is done.
 */
@NullMarked
package dev.mailroom.store.sqlite;

import org.jspecify.annotations.NullMarked;
