package dev.mailroom.server;

import dev.mailroom.core.spi.Storage;
import dev.mailroom.core.spi.StoreHealth;
import dev.mailroom.protocol.Health;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /health} and {@code GET /metrics}; neither needs a token. Without an admin's token,
 * health reports only the status of each component and the store's backend: the store's details
 * (its file, sizes, queue depths) are for operators, not for whoever can reach the port.
 */
final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Storage storage;
  private final ServerMetrics metrics;
  private final JsonMapper mapper;
  private final Predicate<Context> admin;

  /**
   * @param admin whether a request carries an admin's credentials (refusing wrong ones)
   */
  HealthRoutes(
      Storage storage, ServerMetrics metrics, JsonMapper mapper, Predicate<Context> admin) {
    this.storage = storage;
    this.metrics = metrics;
    this.mapper = mapper;
    this.admin = admin;
  }

  void health(Context ctx) {
    boolean details = admin.test(ctx);
    Map<String, Object> store = new LinkedHashMap<>();
    boolean up;
    try {
      StoreHealth h = storage.health();
      up = h.up();
      store.put("status", up ? Health.UP : Health.DOWN);
      store.put("backend", h.backend());
      if (details) {
        store.putAll(h.details());
      }
    } catch (RuntimeException e) {
      LOG.warn("the store's health check failed", e);
      up = false;
      store.put("status", Health.DOWN);
      if (details) {
        store.put("error", String.valueOf(e.getMessage()));
      }
    }
    ctx.header("Cache-Control", "no-store");
    Exchanges.json(
        ctx,
        mapper,
        up ? 200 : 503,
        new Health(up ? Health.UP : Health.DOWN, Map.of("store", store)));
  }

  void metrics(Context ctx) {
    ctx.status(200).contentType(PROMETHEUS_TEXT).result(metrics.scrape());
  }
}
