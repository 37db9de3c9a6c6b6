package dev.mailroom.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.ContentType;
import dev.mailroom.core.Draft;
import dev.mailroom.core.FieldError;
import dev.mailroom.core.Limits;
import dev.mailroom.core.MailboxName;
import dev.mailroom.core.MailroomException;
import dev.mailroom.core.MessageId;
import dev.mailroom.core.Priority;
import dev.mailroom.core.SendMode;
import dev.mailroom.core.Tag;
import dev.mailroom.core.ThreadId;
import dev.mailroom.protocol.JsonLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendRequestMapperTest {
  private static final Limits LIMITS =
      new Limits(1024, 64, 3, Duration.ofDays(7), Duration.ofDays(30));
  private final SendRequestMapper mapper =
      new SendRequestMapper(JsonBodies.mapper(JsonLimits.DEFAULTS), LIMITS, JsonLimits.DEFAULTS);

  private Draft map(String json) {
    return mapper.map(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static List<FieldError> errorsOf(ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(MailroomException.InvalidRequest.class);
    return ((MailroomException.InvalidRequest) t).errors();
  }

  private List<String> fieldsOf(String json) {
    return errorsOf(() -> map(json)).stream().map(FieldError::field).toList();
  }

  @Nested
  class ValidRequests {
    @Test
    void aMinimalDirectSendGetsEveryDefault() {
      Draft d = map("{'mode':'direct','target':'bob','content_type':'text/plain','payload':'hi'}");

      assertThat(d.mode()).isEqualTo(SendMode.DIRECT);
      assertThat(d.target()).contains(MailboxName.of("bob"));
      assertThat(d.contentType()).isEqualTo(ContentType.TEXT_PLAIN);
      assertThat(d.payload().text()).isEqualTo("hi");
      assertThat(d.priority()).isEqualTo(Priority.NORMAL);
      assertThat(d.tags()).isEmpty();
      assertThat(d.metadata()).isEqualTo("{}");
      assertThat(d.ttl()).isEmpty();
      assertThat(d.language()).isEmpty();
      assertThat(d.threadId()).isEmpty();
      assertThat(d.inReplyTo()).isEmpty();
      assertThat(d.idempotencyKey()).isEmpty();
    }

    @Test
    void everyFieldIsCarriedOver() {
      MessageId parent = MessageId.of(123456789L);
      Draft d =
          map(
              "{'mode':'topic','target':'ai.models.gpt4','content_type':'text/code',"
                  + "'language':'c++','payload':'int x;','priority':'urgent',"
                  + "'tags':['b','a','b'],'metadata':{ 'k' : [1, 2] },'ttl_seconds':60,"
                  + "'thread_id':'t-1','in_reply_to':'"
                  + parent
                  + "','idempotency_key':'key 1'}");

      assertThat(d.mode()).isEqualTo(SendMode.TOPIC);
      assertThat(d.target()).contains(MailboxName.of("ai.models.gpt4"));
      assertThat(d.language()).contains("c++");
      assertThat(d.priority()).isEqualTo(Priority.URGENT);
      assertThat(d.tags()).containsExactly(Tag.of("b"), Tag.of("a"));
      assertThat(d.metadata()).isEqualTo("{\"k\":[1,2]}");
      assertThat(d.ttl()).contains(Duration.ofSeconds(60));
      assertThat(d.threadId()).contains(ThreadId.of("t-1"));
      assertThat(d.inReplyTo()).contains(parent);
      assertThat(d.idempotencyKey()).contains("key 1");
    }

    @Test
    void aBroadcastHasNoTargetAndNullCountsAsAbsent() {
      Draft d =
          map(
              "{'mode':'broadcast','target':null,'content_type':'text/markdown','payload':'# hi',"
                  + "'priority':null,'tags':null,'metadata':null,'ttl_seconds':null}");

      assertThat(d.mode()).isEqualTo(SendMode.BROADCAST);
      assertThat(d.target()).isEmpty();
      assertThat(d.priority()).isEqualTo(Priority.NORMAL);
    }

    @Test
    void aJsonPayloadMayBeAnyValue() {
      Draft d =
          map("{'mode':'direct','target':'bob','content_type':'application/json','payload':[1]}");

      assertThat(d.payload().text()).isEqualTo("[1]");
    }
  }

  @Nested
  class InvalidRequests {
    @Test
    void everyBadFieldIsReportedAtOnce() {
      List<String> fields =
          fieldsOf(
              "{'mode':'sideways','target':'a..b','content_type':'text/code','payload':7,"
                  + "'priority':'meh','tags':['ok','no way',5],'metadata':[1],'ttl_seconds':0,"
                  + "'thread_id':'','in_reply_to':'nope','idempotency_key':'','colour':'red'}");

      assertThat(fields)
          .containsExactlyInAnyOrder(
              "colour",
              "mode",
              "target",
              "language",
              "payload",
              "priority",
              "tags[1]",
              "tags[2]",
              "metadata",
              "ttl_seconds",
              "thread_id",
              "in_reply_to",
              "idempotency_key");
    }

    @Test
    void requiredFieldsAreNamed() {
      assertThat(fieldsOf("{}")).containsExactly("mode", "content_type", "payload");
    }

    @Test
    void aDirectSendNeedsATargetAndABroadcastMustNotHaveOne() {
      assertThat(fieldsOf("{'mode':'direct','content_type':'text/plain','payload':'x'}"))
          .containsExactly("target");
      assertThat(
              fieldsOf(
                  "{'mode':'broadcast','target':'bob','content_type':'text/plain','payload':'x'}"))
          .containsExactly("target");
    }

    @Test
    void languageBelongsToTextCodeOnly() {
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/plain','payload':'x',"
                      + "'language':'java'}"))
          .containsExactly("language");
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/code','payload':'x',"
                      + "'language':'not a language!'}"))
          .containsExactly("language");
    }

    @Test
    void fieldsOfTheWrongJsonTypeAreNamed() {
      assertThat(
              fieldsOf(
                  "{'mode':1,'target':true,'content_type':[],'payload':'x','priority':2,"
                      + "'tags':'a','ttl_seconds':'60','idempotency_key':{}}"))
          .containsExactlyInAnyOrder(
              "mode",
              "target",
              "content_type",
              "priority",
              "tags",
              "ttl_seconds",
              "idempotency_key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "1.5", "2592001", "1e3", "99999999999999999999"})
    void ttlMustBeAWholeNumberOfSecondsUpToTheMaximum(String ttl) {
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/plain','payload':'x',"
                      + "'ttl_seconds':"
                      + ttl
                      + "}"))
          .containsExactly("ttl_seconds");
    }

    @Test
    void tooManyTagsAreRefused() {
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/plain','payload':'x',"
                      + "'tags':['a','b','c','d']}"))
          .containsExactly("tags");
    }

    @Test
    void metadataOverItsLimitIsRefused() {
      String big = "x".repeat(80);
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/plain','payload':'x',"
                      + "'metadata':{'k':'"
                      + big
                      + "'}}"))
          .containsExactly("metadata");
    }

    @Test
    void anIdempotencyKeyOver256CharactersIsRefused() {
      String key = "k".repeat(257);
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/plain','payload':'x',"
                      + "'idempotency_key':'"
                      + key
                      + "'}"))
          .containsExactly("idempotency_key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "\"text\"", "{'mode':'direct',}", "{} {}", "nul"})
    void aBodyThatIsNotOneJsonObjectIsNamedAsTheBody(String body) {
      assertThat(fieldsOf(body)).containsExactly("body");
    }

    @Test
    void malformedJsonIsReportedWithItsLocation() {
      List<FieldError> errors = errorsOf(() -> map("{\n'mode': 'direct' 'target'}"));

      assertThat(errors).singleElement().satisfies(e -> assertThat(e.message()).contains("line 2"));
    }

    @Test
    void aDuplicatedFieldIsRefused() {
      assertThat(fieldsOf("{'mode':'direct','mode':'topic'}")).containsExactly("body");
    }

    @Test
    void aPayloadOverTheLimitIsTooLargeRatherThanInvalid() {
      String payload = "x".repeat(LIMITS.maxPayloadBytes() + 1);

      assertThatThrownBy(
              () ->
                  map(
                      "{'mode':'direct','target':'b','content_type':'text/plain','payload':'"
                          + payload
                          + "'}"))
          .isInstanceOf(MailroomException.LimitExceeded.class);
    }

    @Test
    void unknownFieldsAreNamedEvenWhenTheRestIsValid() {
      assertThat(
              fieldsOf(
                  "{'mode':'direct','target':'b','content_type':'text/plain','payload':'x',"
                      + "'sender':'mallory'}"))
          .containsExactly("sender");
    }

    /** Found by SubscriptionRequestFuzzTest: {@code {"": 1}} was refused naming the field "". */
    @Test
    void aFieldWithoutANameIsRefusedNamingTheBody() {
      assertThat(
              errorsOf(
                  () ->
                      map(
                          "{'mode':'direct','target':'b','content_type':'text/plain',"
                              + "'payload':'x','':1}")))
          .containsExactly(new FieldError("body", "has a field without a name"));
    }
  }
}
