package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * The result of checking the audit log's hash chains ({@code GET /v1/audit/verify}).
 *
 * @param ok whether every chain verifies
 */
public record AuditVerification(boolean ok, List<Chain> chains) {
  public AuditVerification {
    chains = List.copyOf(chains);
  }

  /**
   * One chain.
   *
   * @param records how many records of it are stored
   * @param firstIndex the first stored index ({@code null} when none is)
   * @param lastIndex the last stored index ({@code null} when none is)
   * @param problem the first break found; {@code null} when the chain verifies
   */
  public record Chain(
      String chain,
      long records,
      @JsonInclude(JsonInclude.Include.ALWAYS) Optional<Long> firstIndex,
      @JsonInclude(JsonInclude.Include.ALWAYS) Optional<Long> lastIndex,
      boolean ok,
      @JsonInclude(JsonInclude.Include.ALWAYS) Optional<Break> problem) {}

  /**
   * Where a chain breaks.
   *
   * @param index the first index affected
   * @param reason what is wrong there
   */
  public record Break(long index, String reason) {}
}
