package dev.mailroom.protocol;

/**
 * One search hit.
 *
 * @param message the message, as every listing shows it
 * @param rank its relevance combined with recency: higher is better; comparable within one search
 * @param snippet about 200 characters of the body around the first match, every matched word
 *     between {@code <<} and {@code >>}; the sender's text, untrusted (markers included)
 */
public record SearchResult(MessageView message, double rank, String snippet) {}
