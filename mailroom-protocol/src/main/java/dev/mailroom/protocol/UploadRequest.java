package dev.mailroom.protocol;

import java.util.Optional;

/**
 * The body of {@code POST /v1/uploads}.
 *
 * @param size the file's size in bytes
 * @param name the file name recipients see
 * @param contentType its media type; {@code application/octet-stream} when absent
 * @param sha256 its SHA-256 (hex), checked on completion when given
 * @param partSize the size of every part but the last; the server's default when absent
 */
public record UploadRequest(
    long size,
    String name,
    Optional<String> contentType,
    Optional<String> sha256,
    Optional<Integer> partSize) {}
