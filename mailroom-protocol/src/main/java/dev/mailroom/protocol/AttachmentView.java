package dev.mailroom.protocol;

/**
 * One file a message carries, as the API shows it.
 *
 * @param n its position among the message's attachments, from 0
 * @param name the file name its sender gave (untrusted: never use it as a path unchecked)
 * @param contentType its media type
 * @param size its size in bytes
 * @param sha256 its SHA-256, 64 lowercase hex digits (also the download's ETag)
 * @param url where to download it: {@code /v1/messages/{id}/attachments/{n}}
 */
public record AttachmentView(
    int n, String name, String contentType, long size, String sha256, String url) {}
