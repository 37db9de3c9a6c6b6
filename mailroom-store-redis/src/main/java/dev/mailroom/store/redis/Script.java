package dev.mailroom.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of the store: {@code common.lua}, the shared parts it names, then its own file,
 * from the classpath, with its SHA-1 so it is sent in full only when a server does not have it
 * cached yet.
 *
 * <p>Each script comes in two forms. The strict one starts with the {@code #!lua} line, which Redis
 * 7.0 and later understand: in a Cluster, Redis then refuses a script that touches a key outside
 * the slot of the key it declares, even one the same master serves (a script without the line may
 * do that), so the one-slot rule is checked by Redis on every call, not only kept by the code. The
 * plain one is for Redis 6.2, which would read the line as Lua.
 */
record Script(String name, Form strict, Form plain) {
  private static final String SHEBANG = "#!lua\n";
  private static final String COMMON = resource("common");

  /** A script's text and its SHA-1. */
  record Form(byte[] body, String sha) {
    static Form of(String text) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      return new Form(body, sha1(body));
    }
  }

  static Script load(String name, String... parts) {
    StringBuilder text = new StringBuilder(COMMON).append('\n');
    for (String part : parts) {
      text.append(resource(part)).append('\n');
    }
    String plain = text.append(resource(name)).toString();
    return new Script(name, Form.of(SHEBANG + plain), Form.of(plain));
  }

  /** The form for a server that does ({@code strict}) or does not understand {@code #!lua}. */
  Form form(boolean strict) {
    return strict ? this.strict : plain;
  }

  private static String resource(String name) {
    String path = name + ".lua";
    try (InputStream in = Script.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("script " + path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
