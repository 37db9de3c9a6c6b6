/** The audit log's records and queries: every operation, hash-chained per server process. */
@NullMarked
package dev.mailroom.core.audit;

import org.jspecify.annotations.NullMarked;
