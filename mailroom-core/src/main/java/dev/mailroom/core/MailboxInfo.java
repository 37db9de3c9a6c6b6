package dev.mailroom.core;

/**
 * What a store knows about one mailbox.
 *
 * @param name its name
 * @param kind agent, shared or topic
 * @param size how many live entries it holds (expired ones may still be counted until cleaned)
 * @param dropped how many entries were dropped because the mailbox was full
 */
public record MailboxInfo(MailboxName name, MailboxKind kind, long size, long dropped) {}
