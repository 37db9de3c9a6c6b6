/**
 * Subscriptions, deliveries, dead letters and topic configuration: the model of real-time delivery.
 */
@NullMarked
package dev.mailroom.core.delivery;

import org.jspecify.annotations.NullMarked;
