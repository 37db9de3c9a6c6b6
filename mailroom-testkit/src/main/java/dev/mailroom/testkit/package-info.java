/**
 * What every storage backend is tested with: {@link dev.mailroom.testkit.StorageContract} (the
 * storage contract, written once, run by subclassing), {@link
 * dev.mailroom.testkit.StorageFilterProperties} (random filters and paging compared with the
 * reference), {@link dev.mailroom.testkit.InMemoryStorage} (the plain reference storage, also a
 * fast store for unit tests elsewhere) and {@link dev.mailroom.testkit.MutableClock}.
 */
@NullMarked
package dev.mailroom.testkit;

import org.jspecify.annotations.NullMarked;
