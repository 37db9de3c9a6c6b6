package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertProblem;
import static dev.mailroom.server.api.SendAndReadIT.plain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.Limits;
import dev.mailroom.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The request body limit (413 when too large), on a server with small send limits: a body over the
 * limit is refused whether or not it declares its length, before anything is stored.
 */
class BodyLimitIT {
  private static final Limits SMALL =
      new Limits(1024, 1024, Limits.DEFAULT_MAX_TAGS, Limits.DEFAULT_TTL, Limits.DEFAULT_MAX_TTL);

  /** What the server with {@link #SMALL} limits reads at most: 6 × (1 KiB + 1 KiB) + 64 KiB. */
  private static final long MAX_BODY =
      ServerConfig.builder().limits(SMALL).build().maxRequestBytes();

  @RegisterExtension static final MailroomApi api = new MailroomApi(b -> b.limits(SMALL));

  private static Agent alice;

  @BeforeAll
  static void agents() {
    alice = api.newAgent("alice");
  }

  /** A valid send to alice, padded with trailing whitespace (valid JSON) to {@code size} bytes. */
  private static String sendOfSize(long size) {
    String send = Json.write(plain(alice.id(), "padded"));
    return send + " ".repeat((int) (size - send.length()));
  }

  @Test
  void aBodyAtTheLimitIsRead() {
    Response r = api.as(alice).post("/v1/messages", sendOfSize(MAX_BODY));

    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413AndNothingIsStored() {
    long before = api.as(alice).unreadCount();

    Response r = api.as(alice).post("/v1/messages", sendOfSize(MAX_BODY + 1));

    assertThat(assertProblem(r, 413).path("detail").asString())
        .isEqualTo("the request body is larger than " + MAX_BODY + " bytes");
    assertThat(api.as(alice).unreadCount()).isEqualTo(before);
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWith413() throws Exception {
    byte[] body = sendOfSize(4 * MAX_BODY).getBytes(StandardCharsets.UTF_8);
    // A body from a stream has no Content-Length: it is sent chunked and counted as it arrives.
    HttpRequest request =
        HttpRequest.newBuilder(api.baseUri().resolve("/v1/messages"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + alice.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    try (HttpClient http = ApiClient.newHttpClient()) {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }
  }

  @Test
  void otherRoutesReadAtMostTheirOwnSmallerLimit() {
    String pattern = Json.write(Json.object("pattern", "news.*"));
    String body = pattern + " ".repeat(256 * 1024);

    assertProblem(api.as(alice).post("/v1/subscriptions", body), 413);
    assertThat(api.as(alice).get("/v1/subscriptions").body()).doesNotContain("news.*");
  }
}
