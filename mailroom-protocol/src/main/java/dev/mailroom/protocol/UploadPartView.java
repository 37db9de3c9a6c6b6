package dev.mailroom.protocol;

import java.util.Optional;

/**
 * The answer to storing a part ({@code PUT /v1/uploads/{id}/parts/{n}}): the part as stored, and
 * how far the upload has come. {@code GET /v1/uploads/{id}} lists the parts themselves.
 *
 * @param uploadId the upload's id
 * @param n the part's number
 * @param size the part's length in bytes
 * @param sha256 the part's SHA-256, hex, when it was sent with one
 * @param crc32c the part's CRC-32C, 8 hex digits, when it was sent with that alone
 * @param received how many of the upload's parts are stored now
 * @param parts how many parts the upload has
 */
public record UploadPartView(
    String uploadId,
    int n,
    long size,
    Optional<String> sha256,
    Optional<String> crc32c,
    int received,
    int parts) {}
