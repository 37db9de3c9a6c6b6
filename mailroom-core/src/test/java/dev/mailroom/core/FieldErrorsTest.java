package dev.mailroom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FieldErrorsTest {

  @Test
  void captureReturnsTheValueWhenValid() {
    FieldErrors errors = new FieldErrors();

    assertThat(errors.capture("sender", () -> AgentId.of("bob"))).contains(AgentId.of("bob"));
    assertThat(errors.isEmpty()).isTrue();
  }

  @Test
  void everyErrorIsCollectedUnderItsField() {
    FieldErrors errors = new FieldErrors();

    assertThat(errors.capture("target", () -> MailboxName.of("a..b"))).isEmpty();
    assertThat(errors.capture("tags[1]", () -> Tag.of("no spaces"))).isEmpty();
    assertThat(errors.capture("priority", () -> Priority.parse("max"))).isEmpty();
    errors.add("payload", "is required");

    assertThat(errors.isEmpty()).isFalse();
    assertThatThrownBy(errors::throwIfAny)
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactly("target", "tags[1]", "priority", "payload");
              assertThat(e.errors().get(1).message()).contains("'no spaces'");
            });
  }

  @Test
  void illegalArgumentsAreCollectedToo() {
    FieldErrors errors = new FieldErrors();

    errors.capture(
        "ttl_seconds",
        () -> {
          throw new IllegalArgumentException("must be positive");
        });

    assertThatThrownBy(errors::throwIfAny)
        .isInstanceOfSatisfying(
            MailroomException.InvalidRequest.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(new FieldError("ttl_seconds", "must be positive")));
  }

  @Test
  void otherExceptionsAreNotSwallowed() {
    FieldErrors errors = new FieldErrors();

    assertThatThrownBy(
            () ->
                errors.capture(
                    "x",
                    () -> {
                      throw new IllegalStateException("bug");
                    }))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nothingIsThrownWithoutErrors() {
    FieldErrors errors = new FieldErrors();
    errors.capture("sender", () -> AgentId.of("bob"));

    assertThatNoException().isThrownBy(errors::throwIfAny);
  }
}
