/**
 * Receipts and obligations: what became of a message at each recipient (delivered, read,
 * acknowledged, replied, with times), and what a sender asked for in return (an acknowledgement, a
 * reply by a deadline), met or overdue.
 */
package dev.mailroom.core.receipt;
