package dev.mailroom.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Turns a valid request into an invalid or odd one: its body ({@link JsonMutations}), its bytes
 * (invalid UTF-8, UTF-16, a byte order mark), a path or query parameter, a header, or its method.
 * One to three mutations a request; each is written into the draft's report.
 */
final class RequestMutator {
  static final List<String> SEGMENTS =
      List.of(
          "",
          ".",
          "..",
          "%2e%2e",
          "%C0%AE%C0%AE",
          "%00",
          "a%00b",
          "%2F",
          "a%2Fb",
          "%zz",
          "%",
          "%E2%82",
          "%ED%A0%80",
          "%FF",
          "%F0%9F%98%80",
          "%20",
          "a%20b",
          "*",
          "**",
          "admin",
          "-1",
          "0",
          "null",
          "%3Cscript%3E",
          "%27%3B--",
          "%0d%0aX-Injected:%201",
          "a.b..c",
          "%25",
          "\u00e9",
          "~",
          "_",
          "1M819J5X70000",
          "ZZZZZZZZZZZZZ",
          "inbox",
          "sub_0000000000000000");

  static final List<String> CONTENT_TYPES =
      List.of(
          "application/xml",
          "text/xml",
          "application/x-www-form-urlencoded",
          "text/plain",
          "multipart/form-data; boundary=x",
          "application/json; charset=utf-16",
          "application/json; charset=klingon",
          "application/json\u0001",
          "application/json\u007f",
          "",
          "*/*",
          "application/problem+json",
          "application/json; charset=iso-8859-1",
          "application/octet-stream",
          "application/json;;;",
          "application/json, text/plain",
          "text/event-stream");

  static final List<String> ACCEPTS =
      List.of(
          "application/xml",
          "text/event-stream",
          "*/*;q=x",
          "",
          "image/png",
          "text/html",
          "application/json;q=0",
          "application/problem+json",
          "\u0001",
          "*/*");

  static final List<String> FRAMINGS =
      List.of(
          "an invalid Content-Length",
          "two Content-Lengths",
          "a Content-Length of half the body",
          "a chunked body",
          "Transfer-Encoding beside Content-Length");

  static final List<String> METHODS =
      List.of(
          "TRACE",
          "PATCH",
          "PROPFIND",
          "OPTIONS",
          "HEAD",
          "CONNECT",
          "FOO",
          "get",
          "MKCOL",
          "GET",
          "POST",
          "PUT",
          "DELETE",
          "COPY",
          "LOCK",
          "SEARCH",
          "QUERY",
          "M".repeat(300));

  private static final Map<String, byte[]> INVALID_UTF8 =
      Map.of(
          "overlong dot", new byte[] {(byte) 0xC0, (byte) 0xAE},
          "lone FF", new byte[] {(byte) 0xFF},
          "encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          "cut sequence", new byte[] {(byte) 0xE2, (byte) 0x82},
          "lone continuation", new byte[] {(byte) 0x80});

  private RequestMutator() {}

  /** Applies one to three mutations, then {@link #finish}. */
  static void mutate(Draft d, Caller[] callers, RandomGenerator r) {
    int n = r.nextInt(10) < 8 ? 1 : r.nextInt(10) < 7 ? 2 : 3;
    for (int i = 0; i < n; i++) {
      d.mutations.add(once(d, callers, r));
    }
    finish(d, r);
  }

  /**
   * Puts invalid UTF-8 where a mutation asked for it and frames the body as a mutation asked; call
   * after the last mutation.
   */
  static void finish(Draft d, RandomGenerator r) {
    utf8(d, r);
    if (d.framing >= 0) {
      frame(d, r);
    }
  }

  private static void utf8(Draft d, RandomGenerator r) {
    byte[] body = d.body();
    int mark = indexOf(body, JsonMutations.INVALID_UTF8_MARK.getBytes(StandardCharsets.US_ASCII));
    if (mark >= 0) {
      List<String> kinds = new ArrayList<>(INVALID_UTF8.keySet().stream().sorted().toList());
      String kind = kinds.get(r.nextInt(kinds.size()));
      d.rawBody =
          splice(body, mark, JsonMutations.INVALID_UTF8_MARK.length(), INVALID_UTF8.get(kind));
      d.mutations.add("invalid UTF-8 (" + kind + ") in a string");
    }
  }

  /** One mutation of any part; answers what it did. */
  static String once(Draft d, Caller[] callers, RandomGenerator r) {
    return switch (r.nextInt(20)) {
      case 0, 1, 2, 3, 4, 5 -> JsonMutations.mutate(d, r);
      case 6 -> bytes(d, r);
      case 7, 8 -> path(d, r);
      case 9, 10 -> query(d, r);
      case 11, 12 -> authorization(d, callers, r);
      case 13 -> contentType(d, r);
      case 14 -> {
        String a = pick(ACCEPTS, r);
        d.setHeader("Accept", a);
        yield "Accept: " + a;
      }
      case 15 -> otherHeader(d, r);
      case 16 -> {
        d.framing = r.nextInt(FRAMINGS.size()); // framed in finish, around the final body
        yield FRAMINGS.get(d.framing);
      }
      default -> {
        d.method = pick(METHODS, r);
        yield "method " + d.method;
      }
    };
  }

  private static String bytes(Draft d, RandomGenerator r) {
    byte[] body = d.body();
    switch (r.nextInt(3)) {
      case 0 -> {
        d.rawBody = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
        d.setHeader("Content-Type", "application/json; charset=utf-16");
        return "the body in UTF-16";
      }
      case 1 -> {
        d.rawBody = splice(body, 0, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        return "a byte order mark before the body";
      }
      default -> {
        int at = body.length == 0 ? 0 : r.nextInt(body.length);
        d.rawBody = Arrays.copyOf(body, at);
        return "the body cut after " + at + " bytes";
      }
    }
  }

  private static String path(Draft d, RandomGenerator r) {
    if (!d.pathValues.isEmpty() && r.nextInt(3) != 0) {
      List<String> names = List.copyOf(d.pathValues.keySet());
      String name = pick(names, r);
      String v =
          r.nextInt(6) == 0
              ? "a".repeat(pick(List.of(65, 257, 5000, 70_000), r))
              : pick(SEGMENTS, r);
      d.pathValues.put(name, v);
      return "path {" + name + "} := " + (v.length() > 40 ? "a string of " + v.length() : v);
    }
    String p = d.path();
    d.rawPath =
        switch (r.nextInt(8)) {
          case 0 -> p + "/";
          case 1 -> p.replace("/v1/", "//v1//");
          case 2 -> p + "/extra";
          case 3 -> p.toUpperCase(Locale.ROOT);
          case 4 -> p.replaceFirst("^/v1/", "/v1/../v1/");
          case 5 -> p + ";jsessionid=x";
          case 6 -> "http://127.0.0.1" + p;
          default -> p + "%00";
        };
    return "path " + d.rawPath;
  }

  private static String query(Draft d, RandomGenerator r) {
    String name =
        d.names.isEmpty() || r.nextInt(3) == 0 ? "unknown" : pick(List.copyOf(d.names), r);
    String item =
        switch (r.nextInt(7)) {
          case 0 -> name + "=" + pick(SEGMENTS, r);
          case 1 ->
              name + "=" + pick(List.of("abc", "-1", "1e999", "9".repeat(400), "true1", "1.5"), r);
          case 2 -> name + "=" + "a".repeat(pick(List.of(300, 10_000, 70_000), r));
          case 3 -> name;
          case 4 -> pick(List.of("=x", "&&&", "%zz=1", "a[]=1", "a[b]=1", "%00=1"), r);
          case 5 -> "limit=1&limit=2&order=asc&order=desc";
          default -> String.join("&", Collections.nCopies(pick(List.of(100, 1000), r), "tag=a"));
        };
    d.query.add(item);
    return "query "
        + (item.length() > 60 ? item.substring(0, 60) + "... (" + item.length() + ")" : item);
  }

  private static String authorization(Draft d, Caller[] callers, RandomGenerator r) {
    String other = "Bearer " + pick(List.of(callers), r).token().orElse("mr_x");
    switch (r.nextInt(4)) {
      case 0 -> {
        d.removeHeader("Authorization");
        return "no Authorization";
      }
      case 1 -> {
        d.headers.add(new RawHttp.Header("Authorization", other));
        return "a second Authorization";
      }
      case 2 -> {
        d.headers.add(
            new RawHttp.Header(
                "Authorization",
                d.headers.stream()
                    .filter(h -> h.name().equals("Authorization"))
                    .map(RawHttp.Header::value)
                    .findFirst()
                    .orElse(other)));
        return "Authorization twice, the same";
      }
      default -> {
        String v =
            pick(
                List.of(
                    "Bearer",
                    "Bearer ",
                    "bearer " + other.substring(7),
                    "Basic dXNlcjpwYXNz",
                    other + " extra",
                    other + "\u0001",
                    "Bearer " + "a".repeat(10_000),
                    "Bearer mr_" + "A".repeat(43),
                    other.substring(0, other.length() - 1),
                    "Token x"),
                r);
        d.setHeader("Authorization", v);
        return "Authorization: " + (v.length() > 60 ? "a " + v.length() + "-char value" : v);
      }
    }
  }

  private static String contentType(Draft d, RandomGenerator r) {
    String ct = pick(CONTENT_TYPES, r);
    if (r.nextInt(4) == 0) {
      d.removeHeader("Content-Type");
      return "no Content-Type";
    }
    d.setHeader("Content-Type", ct);
    if (ct.startsWith("application/x-www-form")) {
      d.rawBody = "mode=direct&target=x".getBytes(StandardCharsets.UTF_8);
    } else if (ct.contains("xml")) {
      d.rawBody =
          "<?xml version=\"1.0\"?><send><mode>direct</mode></send>"
              .getBytes(StandardCharsets.UTF_8);
    }
    return "Content-Type: " + ct;
  }

  private static String otherHeader(Draft d, RandomGenerator r) {
    return switch (r.nextInt(7)) {
      case 0 -> {
        String v = pick(List.of("\u0001", "x".repeat(1000), "\u00e9\u00e8", "", "a b", "../x"), r);
        d.setHeader("X-Request-Id", v);
        yield "X-Request-Id: " + (v.length() > 40 ? "a " + v.length() + "-char value" : v);
      }
      case 1 -> {
        int n = pick(List.of(9_000, 70_000), r);
        d.setHeader("X-Large", "x".repeat(n));
        yield "a header of " + n + " bytes";
      }
      case 2 -> {
        for (int i = 0; i < 300; i++) {
          d.headers.add(new RawHttp.Header("X-Many-" + i, "1"));
        }
        yield "300 more headers";
      }
      case 3 -> {
        d.setHeader("Upgrade", "websocket");
        d.setHeader("Connection", "Upgrade");
        yield "Upgrade: websocket";
      }
      case 4 -> {
        d.setHeader("Content-Encoding", pick(List.of("gzip", "br", "identity, gzip"), r));
        yield "Content-Encoding on a plain body";
      }
      case 5 -> {
        d.headers.add(new RawHttp.Header("Host", "evil.example"));
        yield "two Host headers";
      }
      default -> {
        d.setHeader("Cookie", "JSESSIONID=node0abc; other=1");
        yield "a session cookie";
      }
    };
  }

  /**
   * The body's framing: lengths that are invalid, given twice or short (a length longer than the
   * body would only make the server wait for the rest), chunked bodies, both at once.
   */
  private static void frame(Draft d, RandomGenerator r) {
    byte[] body = d.body();
    switch (d.framing) {
      case 0 ->
          d.setHeader(
              "Content-Length", pick(List.of("-1", "abc", "1e3", " 1", "99999999999999999999"), r));
      case 1 -> {
        d.setHeader("Content-Length", Integer.toString(body.length));
        d.headers.add(new RawHttp.Header("Content-Length", Integer.toString(body.length + 1)));
      }
      case 2 -> d.setHeader("Content-Length", Integer.toString(Math.max(0, body.length / 2)));
      case 3 -> {
        d.setHeader("Transfer-Encoding", "chunked");
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(
            (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunked.writeBytes(body);
        chunked.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        d.rawBody =
            body.length == 0
                ? "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)
                : chunked.toByteArray();
      }
      default -> {
        d.setHeader(
            "Transfer-Encoding",
            pick(List.of("chunked", "gzip", "chunked, chunked", "identity"), r));
        d.setHeader("Content-Length", Integer.toString(body.length));
      }
    }
  }

  private static byte[] splice(byte[] body, int at, int remove, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(body, 0, at);
    out.writeBytes(insert);
    out.write(body, at + remove, body.length - at - remove);
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static <T> T pick(List<T> choices, RandomGenerator r) {
    return choices.get(r.nextInt(choices.size()));
  }
}
