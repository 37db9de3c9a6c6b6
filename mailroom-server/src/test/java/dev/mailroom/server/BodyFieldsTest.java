package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mailroom.core.FieldError;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.core.MailroomException;
import dev.mailroom.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BodyFieldsTest {

  private static List<FieldError> errorsOf(String json) {
    FieldErrors errors = new FieldErrors();
    BodyFields fields =
        BodyFields.of(
                JsonBodies.readObject(Json.mapper(), json.getBytes(StandardCharsets.UTF_8)), errors)
            .allow(Set.of("pattern", "filter"));
    fields.object("filter").ifPresent(f -> f.allow(Set.of("sender")));
    MailroomException.InvalidRequest e =
        catchThrowableOfType(MailroomException.InvalidRequest.class, errors::throwIfAny);
    assertThat(e).as("expected %s to be refused", json).isNotNull();
    return e.errors();
  }

  @Test
  void unknownFieldsAreNamedWithTheirObject() {
    assertThat(errorsOf("{\"colour\":1,\"filter\":{\"size\":2}}"))
        .containsExactly(
            new FieldError("colour", "is not a known field"),
            new FieldError("filter.size", "is not a known field"));
  }

  /** Found by SubscriptionRequestFuzzTest: {@code {"": 1}} was refused naming the field "". */
  @Test
  void aFieldWithoutANameIsRefusedNamingTheObjectThatHasIt() {
    assertThat(errorsOf("{\"\":1,\"filter\":{\"\":2}}"))
        .containsExactly(
            new FieldError("body", "has a field without a name"),
            new FieldError("filter", "has a field without a name"));
  }
}
