package dev.mailroom.client;

import dev.mailroom.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP exchange under every REST method: builds the request (path segments percent-encoded,
 * query parameters form-encoded, the body as JSON), sends it, reads the answer into a record and
 * turns errors into {@link MailroomClientException}s. Immutable and thread-safe.
 */
final class Rest {
  static final String USER_AGENT = "mailroom-java-client";

  /** How much of an error answer to a streamed request is read for its problem document. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final HttpClient http;
  private final URI base;
  private final Optional<String> token;
  private final Duration requestTimeout;
  private final JsonMapper mapper;

  Rest(
      HttpClient http,
      URI base,
      Optional<String> token,
      Duration requestTimeout,
      JsonMapper mapper) {
    this.http = http;
    this.base = base;
    this.token = token;
    this.requestTimeout = requestTimeout;
    this.mapper = mapper;
  }

  Rest withToken(String newToken) {
    return new Rest(http, base, Optional.of(newToken), requestTimeout, mapper);
  }

  HttpClient http() {
    return http;
  }

  URI base() {
    return base;
  }

  Optional<String> token() {
    return token;
  }

  JsonMapper mapper() {
    return mapper;
  }

  Call get(String... path) {
    return new Call("GET", path);
  }

  Call post(String... path) {
    return new Call("POST", path);
  }

  Call put(String... path) {
    return new Call("PUT", path);
  }

  Call delete(String... path) {
    return new Call("DELETE", path);
  }

  /** The URI of a path under the base, with query parameters. */
  URI uri(List<String> path, List<Map.Entry<String, String>> query) {
    return uri(base, path, query);
  }

  /** The URI of a path under {@code base}, with query parameters. */
  static URI uri(URI base, List<String> path, List<Map.Entry<String, String>> query) {
    StringBuilder b = new StringBuilder(base.toString());
    while (!b.isEmpty() && b.charAt(b.length() - 1) == '/') {
      b.setLength(b.length() - 1);
    }
    for (String segment : path) {
      b.append('/').append(segment(segment));
    }
    char separator = '?';
    for (Map.Entry<String, String> p : query) {
      b.append(separator).append(form(p.getKey())).append('=').append(form(p.getValue()));
      separator = '&';
    }
    return URI.create(b.toString());
  }

  /** Percent-encodes everything in a path segment except RFC 3986's unreserved characters. */
  static String segment(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        b.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return b.toString();
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** One request being built; not thread-safe (build and send it on one thread). */
  final class Call {
    private final String method;
    private final List<String> path;
    private final List<Map.Entry<String, String>> query = new ArrayList<>();
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private @Nullable Object body;
    private HttpRequest.@Nullable BodyPublisher octets;
    private Duration extraTime = Duration.ZERO;
    private int alsoAccepted;

    private Call(String method, String... path) {
      this.method = method;
      this.path = List.of(path);
    }

    Call query(String name, String value) {
      query.add(Map.entry(name, value));
      return this;
    }

    Call query(String name, Optional<String> value) {
      value.ifPresent(v -> query(name, v));
      return this;
    }

    Call query(List<Map.Entry<String, String>> parameters) {
      query.addAll(parameters);
      return this;
    }

    /** The JSON body. */
    Call body(Object value) {
      this.body = value;
      return this;
    }

    /** Raw bytes as the body ({@code application/octet-stream}): an upload's part. */
    Call octets(HttpRequest.BodyPublisher value) {
      this.octets = value;
      return this;
    }

    /** A request header beyond those every call sends. */
    Call header(String name, String value) {
      headers.add(Map.entry(name, value));
      return this;
    }

    /**
     * The server may hold the answer this much longer than usual (a long poll), or the body may
     * take this much longer to go out (a large part).
     */
    Call waiting(Duration extra) {
      this.extraTime = extra;
      return this;
    }

    /** An error status whose body is still an ordinary answer ({@code 503} of a health check). */
    Call accepting(int status) {
      this.alsoAccepted = status;
      return this;
    }

    URI uri() {
      return Rest.this.uri(path, query);
    }

    /** Sends it and reads the answer as {@code type}. */
    <T> T fetch(Class<T> type) {
      return fetch(type, (mapper, text) -> Optional.empty());
    }

    /**
     * Sends it and reads the answer as {@code type}; when that fails, {@code salvage} may still
     * read what it can of the answer's text (a listing without the messages that cannot be
     * decoded).
     */
    <T> T fetch(Class<T> type, BiFunction<JsonMapper, String, Optional<T>> salvage) {
      HttpResponse<byte[]> r = exchange();
      try {
        return mapper.readValue(r.body(), type);
      } catch (JacksonException e) {
        return salvage
            .apply(mapper, new String(r.body(), StandardCharsets.UTF_8))
            .orElseThrow(() -> unreadable(r, e));
      }
    }

    /** Sends it and answers the response: a 2xx, or the status {@link #accepting} allows. */
    HttpResponse<byte[]> response() {
      return exchange();
    }

    /** Sends it and answers the body as text. */
    String fetchText() {
      return new String(exchange().body(), StandardCharsets.UTF_8);
    }

    /** Sends it; the answer's body, if any, is not needed. */
    void send() {
      exchange();
    }

    /**
     * Sends it and answers the response with its body still to be read, as it arrives (a download);
     * the caller closes the body. An error answer is read and thrown as usual.
     */
    HttpResponse<InputStream> open() {
      HttpResponse<InputStream> r = roundTrip(HttpResponse.BodyHandlers.ofInputStream());
      int status = r.statusCode();
      if (status / 100 != 2 && status != alsoAccepted) {
        byte[] problem;
        try (InputStream in = r.body()) {
          problem = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
          problem = new byte[0];
        }
        throw ErrorAnswers.of(status, r.headers(), problem, mapper);
      }
      return r;
    }

    private HttpResponse<byte[]> exchange() {
      HttpResponse<byte[]> r = roundTrip(HttpResponse.BodyHandlers.ofByteArray());
      int status = r.statusCode();
      if (status / 100 != 2 && status != alsoAccepted) {
        throw ErrorAnswers.of(status, r.headers(), r.body(), mapper);
      }
      return r;
    }

    private <B> HttpResponse<B> roundTrip(HttpResponse.BodyHandler<B> handler) {
      HttpRequest request = build();
      try {
        return http.send(request, handler);
      } catch (HttpTimeoutException e) {
        throw MailroomClientException.connection(
            method + " " + request.uri().getPath() + " timed out after " + timeout(), e);
      } catch (IOException e) {
        throw MailroomClientException.connection("could not reach " + base + ": " + describe(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw MailroomClientException.connection("interrupted while waiting for " + base, e);
      }
    }

    private Duration timeout() {
      return requestTimeout.plus(extraTime);
    }

    private HttpRequest build() {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(uri())
              .timeout(timeout())
              .header("Accept", "application/json")
              .header("User-Agent", USER_AGENT);
      token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
      headers.forEach(h -> b.setHeader(h.getKey(), h.getValue()));
      if (octets != null) {
        b.header("Content-Type", "application/octet-stream");
        b.method(method, octets);
      } else if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
      }
      return b.build();
    }

    private MailroomClientException unreadable(HttpResponse<byte[]> r, Exception e) {
      return MailroomClientException.unreadable(
          r.statusCode(),
          "the answer to "
              + method
              + " "
              + r.uri().getPath()
              + " could not be read ("
              + (e instanceof JacksonException j ? Json.describe(j) : e.getMessage())
              + "); is "
              + base
              + " a Mailroom server of this version?",
          e);
    }
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    String name = e.getClass().getSimpleName();
    return m == null || m.isBlank() ? name : name + ": " + m;
  }
}
