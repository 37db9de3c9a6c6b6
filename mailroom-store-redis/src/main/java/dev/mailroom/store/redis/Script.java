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
 */
record Script(String name, byte[] body, String sha) {
  private static final String COMMON = resource("common");

  static Script load(String name, String... parts) {
    StringBuilder text = new StringBuilder(COMMON).append('\n');
    for (String part : parts) {
      text.append(resource(part)).append('\n');
    }
    return of(name, text.append(resource(name)).toString());
  }

  private static Script of(String name, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return new Script(name, body, sha1(body));
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
