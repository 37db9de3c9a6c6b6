package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/**
 * One audit record ({@code GET /v1/audit}).
 *
 * @param chain the hash chain it belongs to (one per server process)
 * @param index its place in the chain, from 0
 * @param at when the operation finished
 * @param requestId the request's {@code X-Request-Id}
 * @param actor the authenticated agent, or {@code -}
 * @param action the method and route template, such as {@code POST /v1/messages/{id}/read}
 * @param resource what the operation acted on, or {@code -}
 * @param status the HTTP status answered
 * @param outcome {@code ok}, {@code denied}, {@code invalid} or {@code failed}
 * @param detail the problem's detail for a refused or failed request; {@code null} otherwise
 * @param prevHash the previous record's hash
 * @param hash this record's hash
 */
public record AuditRecordView(
    String chain,
    long index,
    Instant at,
    String requestId,
    String actor,
    String action,
    String resource,
    int status,
    String outcome,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> detail,
    String prevHash,
    String hash) {}
