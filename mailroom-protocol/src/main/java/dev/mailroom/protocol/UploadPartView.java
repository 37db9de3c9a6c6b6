package dev.mailroom.protocol;

/**
 * The answer to storing a part ({@code PUT /v1/uploads/{id}/parts/{n}}): the part as stored, and
 * how far the upload has come. {@code GET /v1/uploads/{id}} lists the parts themselves.
 *
 * @param uploadId the upload's id
 * @param n the part's number
 * @param size the part's length in bytes
 * @param sha256 the part's SHA-256, hex
 * @param received how many of the upload's parts are stored now
 * @param parts how many parts the upload has
 */
public record UploadPartView(
    String uploadId, int n, long size, String sha256, int received, int parts) {}
