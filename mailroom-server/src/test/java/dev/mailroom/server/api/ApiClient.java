package dev.mailroom.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Requests to one server as one caller. The token is sent as {@code Authorization: Bearer ...};
 * with no token no Authorization header is sent. Thread-safe.
 */
final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final URI base;
  private final @Nullable String authorization;

  ApiClient(HttpClient http, URI base, @Nullable String authorization) {
    this.http = http;
    this.base = base;
    this.authorization = authorization;
  }

  /** A client speaking HTTP/1.1, as most agents' HTTP stacks do. */
  static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** The same caller over another connection pool. */
  ApiClient over(HttpClient other) {
    return new ApiClient(other, base, authorization);
  }

  /** The same server with a raw Authorization header value (or none). */
  ApiClient withAuthorization(@Nullable String header) {
    return new ApiClient(http, base, header);
  }

  /** {@code POST /v1/messages} with a body built by {@link Json#object}. */
  Response send(Map<String, ?> body) {
    return post("/v1/messages", Json.write(body));
  }

  /** Sends and insists on 201; returns the answer's JSON. */
  JsonNode sendOk(Map<String, ?> body) {
    Response r = send(body);
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.json();
  }

  Response get(String path) {
    return request("GET", path, null);
  }

  Response get(String path, Query query) {
    return request("GET", path + query.encoded(), null);
  }

  Response post(String path, @Nullable String body) {
    return request("POST", path, body);
  }

  Response put(String path, @Nullable String body) {
    return request("PUT", path, body);
  }

  Response delete(String path) {
    return request("DELETE", path, null);
  }

  /** Fetches one message and insists on 200. */
  JsonNode message(String id) {
    Response r = get("/v1/messages/" + id);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json();
  }

  long unreadCount() {
    Response r = get("/v1/inbox/unread_count");
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.json().get("unread").asLong();
  }

  /**
   * Every item of a listing, following {@code next_cursor} until it is null. Checks on the way that
   * each page answers 200, holds at most {@code limit} items and that a page with a next cursor is
   * not empty (otherwise paging would never end).
   */
  List<JsonNode> listAll(String path, Query query, int limit) {
    return listAll(path, query, limit, "messages");
  }

  /** {@link #listAll(String, Query, int)} for a listing whose items are in {@code field}. */
  List<JsonNode> listAll(String path, Query query, int limit, String field) {
    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Query q = query.and("limit", limit);
      if (cursor != null) {
        q = q.and("cursor", cursor);
      }
      Response r = get(path, q);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      JsonNode page = r.json();
      List<JsonNode> items = Json.array(page, field);
      assertThat(items).as("page size of %s", r.request()).hasSizeLessThanOrEqualTo(limit);
      cursor = Json.text(page, "next_cursor");
      assertThat(page.has("next_cursor")).as("next_cursor is always present: %s", r).isTrue();
      if (cursor != null) {
        assertThat(items).as("a page with a next_cursor must not be empty: %s", r).isNotEmpty();
      }
      all.addAll(items);
      pages++;
      assertThat(pages).as("paging must end").isLessThan(100_000);
    } while (cursor != null);
    return all;
  }

  /** The ids of every item of a listing, in the order served. */
  List<String> listIds(String path, Query query, int limit) {
    return listAll(path, query, limit).stream().map(m -> Json.text(m, "id")).toList();
  }

  Response request(String method, String path, @Nullable String body) {
    return request(method, path, body, new String[0]);
  }

  /**
   * A request with extra {@code headers} (names and values alternating, each added as given, so a
   * name may come twice); a JSON {@code Content-Type} is added for a body unless one is given.
   */
  Response request(String method, String path, @Nullable String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (body != null && !typed) {
      b.header("Content-Type", "application/json");
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(method + " " + path, r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A request with a binary body and extra {@code headers} (names and values alternating). */
  Response requestBytes(String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(method + " " + path, r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A GET (or HEAD) whose answer's body is kept as bytes. */
  HttpResponse<byte[]> download(String method, String path, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
