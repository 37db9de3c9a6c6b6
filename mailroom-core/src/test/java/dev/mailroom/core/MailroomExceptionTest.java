package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailroomExceptionTest {

  @Test
  void everyKindCarriesItsCode() {
    assertThat(MailroomException.InvalidRequest.field("f", "bad").code())
        .isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(new MailroomException.Unauthenticated("x").code())
        .isEqualTo(ErrorCode.UNAUTHENTICATED);
    assertThat(new MailroomException.Forbidden("x").code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(new MailroomException.NotFound("x").code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(new MailroomException.Conflict("x").code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(MailroomException.LimitExceeded.tooLarge("x").code())
        .isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE);
    assertThat(MailroomException.LimitExceeded.rateLimited("x", Duration.ofSeconds(2)).code())
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(new MailroomException.Unavailable("x", null).code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void fieldErrorNamesTheFieldInItsMessage() {
    MailroomException.InvalidRequest e = MailroomException.InvalidRequest.field("ttl", "too long");

    assertThat(e).hasMessage("ttl: too long");
    assertThat(e.errors()).containsExactly(new FieldError("ttl", "too long"));
  }

  @Test
  void invalidRequestCopiesItsErrors() {
    List<FieldError> errors = new ArrayList<>(List.of(new FieldError("a", "b")));
    MailroomException.InvalidRequest e = new MailroomException.InvalidRequest("bad", errors);

    errors.clear();

    assertThat(e.errors()).hasSize(1);
  }

  @Test
  void onlyRateLimitsSayWhenToRetry() {
    assertThat(MailroomException.LimitExceeded.rateLimited("x", Duration.ofSeconds(2)).retryAfter())
        .contains(Duration.ofSeconds(2));
    assertThat(MailroomException.LimitExceeded.tooLarge("x").retryAfter()).isEmpty();
  }

  @Test
  void aStorageFaultNamesItsCauseAndCarriesItsCode() {
    MailroomException.Unavailable full =
        MailroomException.Unavailable.storage(StorageFault.DISK_FULL);
    MailroomException.Unavailable readOnly =
        MailroomException.Unavailable.storage(StorageFault.READ_ONLY);

    assertThat(full.code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE);
    assertThat(full.fault()).contains(StorageFault.DISK_FULL);
    assertThat(full).hasMessageStartingWith("the data directory's disk is full").hasNoCause();
    assertThat(readOnly.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(readOnly).hasMessageStartingWith("the data directory is read-only");
    assertThat(new MailroomException.Unavailable("down", null).fault()).isEmpty();
  }

  @Test
  void aStorageFaultIsTheWholeRequestsNotAnItems() {
    MailroomException.Unavailable full =
        MailroomException.Unavailable.storage(StorageFault.DISK_FULL);

    assertThat(full.forItem("messages[1]")).isSameAs(full);
  }

  @Test
  void unavailableKeepsItsCause() {
    RuntimeException cause = new RuntimeException("disk");

    assertThat(new MailroomException.Unavailable("down", cause)).hasCause(cause);
  }
}
