package dev.mailroom.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A minimal HTTP caller for the launcher tests, with an optional bearer token. */
final class Http {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** One answer. */
  record Answer(String request, int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return request + " -> " + status + " " + body;
    }
  }

  private final HttpClient client;
  private final URI base;
  private final @Nullable String token;

  Http(URI base, @Nullable String token) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        base,
        token);
  }

  private Http(HttpClient client, URI base, @Nullable String token) {
    this.client = client;
    this.base = base;
    this.token = token;
  }

  Http as(String otherToken) {
    return new Http(client, base, otherToken);
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer post(String path, Object body) {
    return send("POST", path, JSON.writeValueAsString(body));
  }

  private Answer send(String method, String path, @Nullable String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(method + " " + path, r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
