/**
 * Who may do what (R4): actions, permission rules on name patterns, custom roles, and the decision
 * procedure with its explanation. Pure and immutable; the server keeps the current {@link
 * dev.mailroom.core.access.Policy} and stores it.
 */
@NullMarked
package dev.mailroom.core.access;

import org.jspecify.annotations.NullMarked;
