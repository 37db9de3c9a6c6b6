package dev.mailroom.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi.yaml}: the API description, read once from the jar. No token needed. */
final class OpenApiRoute {
  static final String RESOURCE = "openapi.yaml";
  static final String MEDIA_TYPE = "application/yaml";

  private final byte[] document;

  OpenApiRoute() {
    try (InputStream in = OpenApiRoute.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the server jar");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(Context ctx) {
    ctx.status(200).contentType(MEDIA_TYPE).result(document);
  }
}
