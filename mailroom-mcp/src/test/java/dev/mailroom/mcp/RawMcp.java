package dev.mailroom.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** JSON-RPC posted to {@code /mcp} by hand, to see the HTTP answers an MCP client hides. */
final class RawMcp {
  static final String INITIALIZE =
      """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";
  static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

  private RawMcp() {}

  static HttpResponse<String> post(
      URI server, Optional<String> token, Optional<String> session, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.resolve(MailroomMcp.PATH))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    session.ifPresent(s -> b.header("Mcp-Session-Id", s));
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Any request to {@code /mcp}: {@code headers} alternate names and values, and are all the
   * request carries besides the agent's token.
   */
  static HttpResponse<String> send(
      URI server, String token, String method, String body, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.resolve(MailroomMcp.PATH))
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens a session as the agent of {@code token} and answers its id. */
  static String initialize(URI server, String token) {
    HttpResponse<String> r = post(server, Optional.of(token), Optional.empty(), INITIALIZE);
    return r.headers()
        .firstValue("Mcp-Session-Id")
        .orElseThrow(() -> new AssertionError("no session id: " + r.statusCode() + r.body()));
  }
}
