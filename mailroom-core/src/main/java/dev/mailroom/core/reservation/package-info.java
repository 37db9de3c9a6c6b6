/**
 * Reservations (leases): an agent holds path globs or names of a project, exclusively or shared,
 * until they expire, so that agents working on the same files learn of each other before they
 * collide. What conflicts with what is decided here, exactly, by {@link PathPattern#overlaps}.
 */
@NullMarked
package dev.mailroom.core.reservation;

import org.jspecify.annotations.NullMarked;
