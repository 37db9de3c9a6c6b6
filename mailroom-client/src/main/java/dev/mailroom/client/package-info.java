/**
 * The Java client SDK of Mailroom: {@link dev.mailroom.client.MailroomClient} has a typed method
 * for every route of the HTTP API (grouped as {@code messages()}, {@code subscriptions()}, {@code
 * topics()}, {@code deadLetters()}, {@code agents()}, {@code acl()}, {@code roles()}, {@code
 * audit()}, {@code logLevels()}, {@code stats()}, {@code alerts()}, {@code uploads()}, {@code
 * attachments()}) and opens {@link dev.mailroom.client.MessageStream}s that reconnect, resume and
 * deduplicate by themselves.
 *
 * <p>Answers are the wire records of {@code dev.mailroom.protocol}. Every failure is a {@link
 * dev.mailroom.client.MailroomClientException} whose {@link
 * dev.mailroom.client.MailroomClientException.Kind} names the class of error.
 *
 * <p>The SDK depends on {@code mailroom-protocol} (and through it Jackson) and the JDK's {@code
 * java.net.http} only; never on the server.
 */
@NullMarked
package dev.mailroom.client;

import org.jspecify.annotations.NullMarked;
