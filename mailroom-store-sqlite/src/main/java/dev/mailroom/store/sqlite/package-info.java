/**
 * The embedded storage backend: SQLite in WAL mode with group commit. The public entry points are
 * {@link dev.mailroom.store.sqlite.SqliteStorage#open}, {@link
 * dev.mailroom.store.sqlite.SqliteSpool#open} and {@link
 * dev.mailroom.store.sqlite.FileBlobStore#open} (the blob store in plain files, which the SQLite
 * storage opens beside its database); everything else is package-private.
 *
 * <p>Threading: one platform thread ({@code mailroom-sqlite-writer}) owns the only write connection
 * and runs every write, in batches of one transaction and one sync each; reads borrow one of a
 * fixed set of read-only connections. Callers (typically virtual threads) block until their write
 * is durable or their read is done. The blob store has no thread of its own: its callers read and
 * write its files themselves (see {@link dev.mailroom.store.sqlite.FileBlobStore}).
 */
@NullMarked
package dev.mailroom.store.sqlite;

import org.jspecify.annotations.NullMarked;
