package dev.mailroom.server;

import ch.qos.logback.classic.Level;
import dev.mailroom.core.FieldErrors;
import dev.mailroom.protocol.LogLevelList;
import dev.mailroom.protocol.LogLevelView;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/admin/log-levels}: admins read the levels of this process's loggers and change one at
 * once, without a restart. A change is this node's alone (every answer names the node), is audited
 * like every request, with the logger and its new level as the record's resource, and is logged
 * once at {@code INFO} under the levels in force after it. A server whose SLF4J binding is not
 * Logback answers 501.
 */
final class LogLevelRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(LogLevelRoutes.class);
  private static final Set<String> FIELDS = Set.of("level");
  private static final long MAX_BODY_BYTES = 4 * 1024;
  static final String LOGGER = "logger";
  static final String LEVEL = "level";

  private final LogLevels levels;
  private final JsonMapper mapper;
  private final String node;

  /**
   * @param levels the process's loggers
   * @param node names this server process in the answers (the name of its audit chain)
   */
  LogLevelRoutes(LogLevels levels, JsonMapper mapper, String node) {
    this.levels = levels;
    this.mapper = mapper;
    this.node = node;
  }

  /** {@code GET /v1/admin/log-levels}: the root and every logger with a level of its own. */
  void list(Context ctx) {
    Exchanges.requireAdmin(ctx, "read log levels");
    FieldErrors errors = new FieldErrors();
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    errors.throwIfAny();
    if (unsupported(ctx)) {
      return;
    }
    List<LogLevelView> views =
        levels.configured().stream().map(s -> view(s, Optional.empty())).toList();
    Exchanges.json(ctx, mapper, 200, new LogLevelList(views, node));
  }

  /** {@code GET /v1/admin/log-levels/{logger}}: one logger, which need not exist yet. */
  void get(Context ctx) {
    Exchanges.requireAdmin(ctx, "read log levels");
    FieldErrors errors = new FieldErrors();
    Optional<String> name = pathLogger(ctx, errors);
    errors.throwIfAny();
    if (unsupported(ctx)) {
      return;
    }
    Exchanges.json(ctx, mapper, 200, view(levels.state(name.orElseThrow()), Optional.of(node)));
  }

  /**
   * {@code PUT /v1/admin/log-levels/{logger}} with {@code {"level":"DEBUG"}}: sets the logger's
   * level; {@code {"level":null}} clears it, as {@link #clear} does.
   */
  void set(Context ctx) {
    Exchanges.requireAdmin(ctx, "change log levels");
    FieldErrors errors = new FieldErrors();
    Optional<String> name = pathLogger(ctx, errors);
    ObjectNode body = JsonBodies.readObject(mapper, Exchanges.body(ctx, MAX_BODY_BYTES));
    BodyFields.of(body, errors).allow(FIELDS);
    JsonNode given = body.get(LEVEL);
    Optional<Level> level = Optional.empty();
    if (given == null) {
      errors.add(
          LEVEL,
          "is required: one of "
              + String.join(", ", LogLevels.LEVELS)
              + ", or null to clear the logger's own level");
    } else if (given.isString()) {
      level = errors.capture(LEVEL, () -> LogLevels.level(given.stringValue()));
      if (level.filter(l -> !l.isGreaterOrEqual(Level.INFO)).isPresent()
          && name.isPresent()
          && !LogLevels.mayTrace(name.get())) {
        errors.add(
            LEVEL,
            "DEBUG and TRACE may be set only on Mailroom's own loggers (dev.mailroom and below):"
                + " the libraries' detail logs can hold request headers, tokens among them");
      }
    } else if (!given.isNull()) {
      errors.add(LEVEL, "must be a string (" + String.join(", ", LogLevels.LEVELS) + ") or null");
    } else if (name.filter(LogLevels.ROOT::equals).isPresent()) {
      errors.add(LEVEL, "cannot be null for ROOT: the root logger must keep a level");
    }
    errors.throwIfAny();
    change(ctx, name.orElseThrow(), level);
  }

  /** {@code DELETE /v1/admin/log-levels/{logger}}: clears the logger's own level. */
  void clear(Context ctx) {
    Exchanges.requireAdmin(ctx, "change log levels");
    FieldErrors errors = new FieldErrors();
    Optional<String> name = pathLogger(ctx, errors);
    if (name.filter(LogLevels.ROOT::equals).isPresent()) {
      errors.add(LOGGER, "the root logger must keep a level; set another one with PUT instead");
    }
    errors.throwIfAny();
    change(ctx, name.orElseThrow(), Optional.empty());
  }

  private void change(Context ctx, String name, Optional<Level> level) {
    if (unsupported(ctx)) {
      return;
    }
    String agent = Exchanges.principal(ctx).id().value();
    LogLevels.State after = levels.set(name, level);
    String written = level.map(Level::toString).orElse("null");
    Exchanges.auditResource(ctx, name + "=" + written);
    // Logged after the change, so under the levels it made: a change that silences this logger
    // at INFO is left to the audit log. The name and the agent id are validated (no line breaks).
    if (level.isPresent()) {
      LOG.info("log level of {} set to {} by {}", name, written, agent);
    } else {
      LOG.info("log level of {} cleared by {}; it inherits {} now", name, agent, after.effective());
    }
    Exchanges.json(ctx, mapper, 200, view(after, Optional.of(node)));
  }

  /** Answers 501 if levels cannot be changed on this server, and says whether it did. */
  private boolean unsupported(Context ctx) {
    if (levels.supported()) {
      return false;
    }
    Exchanges.problem(
        ctx,
        mapper,
        ErrorMapping.ofStatus(501),
        "log levels cannot be read or changed at run time on this server: its logging backend is"
            + " not Logback",
        List.of());
    return true;
  }

  /** The logger the path names, checked; also refuses every query parameter (none is known). */
  private static Optional<String> pathLogger(Context ctx, FieldErrors errors) {
    new QueryParameters(ctx.queryParamMap(), errors).allow(Set.of());
    return errors.capture(LOGGER, () -> LogLevels.name(ctx.pathParam(LOGGER)));
  }

  private static LogLevelView view(LogLevels.State s, Optional<String> node) {
    return new LogLevelView(s.logger(), s.level(), s.effective(), node);
  }
}
