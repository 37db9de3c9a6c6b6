/**
 * Subscription patterns over mailbox and topic names and the index that finds, for a published
 * name, every subscription whose pattern matches it.
 */
@NullMarked
package dev.mailroom.core.topic;

import org.jspecify.annotations.NullMarked;
