/**
 * Mailroom's domain: validated identifiers, messages, filters, the message service and its
 * retention cleaner. Nothing here speaks HTTP or JSON.
 */
@NullMarked
package dev.mailroom.core;

import org.jspecify.annotations.NullMarked;
