/**
 * The local durable spool a node keeps sends in while its shared store is down ({@link
 * dev.mailroom.core.spool.Spool}).
 */
@NullMarked
package dev.mailroom.core.spool;

import org.jspecify.annotations.NullMarked;
