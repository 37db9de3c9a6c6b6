/**
 * The delivery engine: one stream's pushes, retries, dead letters, batch windows, in-flight limit
 * and heartbeats, on an injected clock and without a transport. The server's stream sessions pump
 * it onto sockets.
 */
@NullMarked
package dev.mailroom.core.delivery.engine;

import org.jspecify.annotations.NullMarked;
