package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of audit records ({@code GET /v1/audit}).
 *
 * @param nextCursor pass as {@code cursor} to get the next page; {@code null} on the last page
 */
public record AuditRecordList(
    List<AuditRecordView> records,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public AuditRecordList {
    records = List.copyOf(records);
  }
}
