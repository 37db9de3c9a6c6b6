package dev.mailroom.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;

/**
 * The levels of this process's loggers, read and changed while it runs, through Logback's {@link
 * LoggerContext} (the SLF4J binding of the server). A change holds until the process ends, or until
 * Logback reads its configuration again; it is this process's state alone, so the other nodes of a
 * system keep theirs. With another SLF4J binding nothing can be read or changed ({@link
 * #supported()} is false). Thread-safe: Logback's loggers are.
 */
final class LogLevels {
  /** The root logger's name, as Logback spells it; any case names the root. */
  static final String ROOT = org.slf4j.Logger.ROOT_LOGGER_NAME;

  /** The longest logger name taken. */
  static final int MAX_NAME_LENGTH = 200;

  /** The levels a logger may be given, from the most to the least verbose. */
  static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /**
   * Dotted segments of letters, digits, {@code _}, {@code $} and {@code -}. A segment may not begin
   * with {@code $}, which Logback also takes as a separator: it would make a logger without a name.
   */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_$-]*(?:\\.[A-Za-z0-9_-][A-Za-z0-9_$-]*)*");

  private final @Nullable LoggerContext context;

  /** The levels of the loggers {@code factory} makes; supported only if it is Logback's. */
  LogLevels(ILoggerFactory factory) {
    this.context = factory instanceof LoggerContext c ? c : null;
  }

  /** Whether levels can be read and changed: the SLF4J binding is Logback. */
  boolean supported() {
    return context != null;
  }

  /**
   * A logger's name, checked: {@link #ROOT} for {@code root} in any case, else a dotted name.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static String name(String given) {
    if (given.equalsIgnoreCase(ROOT)) {
      return ROOT;
    }
    if (given.isEmpty() || given.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "must be 1 to " + MAX_NAME_LENGTH + " characters, or ROOT for the root logger");
    }
    if (!NAME.matcher(given).matches()) {
      throw new IllegalArgumentException(
          "must be a dotted logger name such as dev.mailroom.server (letters, digits, _, $ and -"
              + " between the dots, no segment empty or starting with $), or ROOT");
    }
    return given;
  }

  /**
   * A level by its name, in any case.
   *
   * @throws IllegalArgumentException naming the levels there are
   */
  /**
   * Whether {@code logger} may be set below {@code INFO}: Mailroom's own loggers only. Below it,
   * libraries log what passes through them; Jetty's {@code DEBUG}, for one, writes request headers,
   * and with them the {@code Authorization} header's token, which must never reach a log.
   */
  static boolean mayTrace(String logger) {
    return logger.equals(MAILROOM) || logger.startsWith(MAILROOM + ".");
  }

  private static final String MAILROOM = "dev.mailroom";

  static Level level(String given) {
    String upper = given.strip().toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(upper)) {
      throw new IllegalArgumentException(
          "must be one of " + String.join(", ", LEVELS) + " (in any case), or null to clear it");
    }
    return Level.toLevel(upper);
  }

  /**
   * One logger's levels.
   *
   * @param logger its name ({@link #ROOT} for the root)
   * @param level the level set on it, if any
   * @param effective the level in force: its own, else its nearest ancestor's
   */
  record State(String logger, Optional<String> level, String effective) {}

  /** The root, then every logger with a level of its own, by name. */
  List<State> configured() {
    LoggerContext c = context();
    List<State> states = new ArrayList<>();
    states.add(state(c.getLogger(ROOT)));
    for (Logger l : c.getLoggerList()) {
      if (l.getLevel() != null && !l.getName().equals(ROOT)) {
        states.add(state(l));
      }
    }
    return states;
  }

  /**
   * A logger's levels, whether or not the process made that logger yet: a name no code has logged
   * under yet has no level of its own and inherits its nearest existing ancestor's (asking does not
   * make it).
   *
   * @param name a name {@link #name} accepted
   */
  State state(String name) {
    LoggerContext c = context();
    if (name.equals(ROOT)) {
      return state(c.getLogger(ROOT));
    }
    Logger existing = c.exists(name);
    if (existing != null) {
      return state(existing);
    }
    String ancestor = name;
    while (true) {
      int separator = Math.max(ancestor.lastIndexOf('.'), ancestor.lastIndexOf('$'));
      if (separator <= 0) {
        break;
      }
      ancestor = ancestor.substring(0, separator);
      Logger found = c.exists(ancestor);
      if (found != null) {
        return new State(name, Optional.empty(), found.getEffectiveLevel().toString());
      }
    }
    return new State(name, Optional.empty(), c.getLogger(ROOT).getEffectiveLevel().toString());
  }

  /**
   * Sets a logger's own level, or clears it so that the logger inherits again; at once, for every
   * thread. Setting makes the logger if it did not exist; clearing one that does not exist changes
   * nothing.
   *
   * @param name a name {@link #name} accepted
   * @param level the level, or empty to clear it (never for the root, which must keep one)
   * @return the logger's levels after the change
   * @throws IllegalArgumentException if asked to clear the root's level
   */
  State set(String name, Optional<Level> level) {
    if (name.equals(ROOT) && level.isEmpty()) {
      throw new IllegalArgumentException("the root logger must keep a level");
    }
    LoggerContext c = context();
    if (level.isPresent()) {
      c.getLogger(name).setLevel(level.get());
    } else {
      Logger existing = c.exists(name);
      if (existing != null) {
        existing.setLevel(null);
      }
    }
    return state(name);
  }

  private static State state(Logger l) {
    Level own = l.getLevel();
    return new State(
        l.getName(),
        Optional.ofNullable(own).map(Level::toString),
        l.getEffectiveLevel().toString());
  }

  private LoggerContext context() {
    if (context == null) {
      throw new IllegalStateException("the SLF4J binding is not Logback");
    }
    return context;
  }
}
