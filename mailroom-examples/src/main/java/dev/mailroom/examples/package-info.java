/** Programs that use the Java SDK; the build compiles them and runs them against a server. */
@NullMarked
package dev.mailroom.examples;

import org.jspecify.annotations.NullMarked;
