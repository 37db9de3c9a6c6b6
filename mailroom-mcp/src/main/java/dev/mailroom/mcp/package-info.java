/**
 * The Model Context Protocol server of Mailroom, for LLM agents: tools that send, read, wait for
 * and manage mail, subscriptions and topics, and the inbox as a resource that notifies its
 * subscribers when mail arrives. Every tool calls the REST API through the client SDK with the
 * caller's own token, so the server's permissions, rate limits and audit log apply as for any other
 * client.
 *
 * <p>{@link dev.mailroom.mcp.MailroomMcp} makes the two transports: the streamable HTTP endpoint
 * the server mounts at {@code /mcp}, and the stdio server of {@code mailroom mcp}.
 */
@NullMarked
package dev.mailroom.mcp;

import org.jspecify.annotations.NullMarked;
