package dev.mailroom.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.mailroom.server.LogFormat;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import org.slf4j.ILoggerFactory;

/**
 * Puts the console log of {@code mailroom serve} in the configured {@link LogFormat}.
 *
 * <p>Why in code rather than in {@code logback.xml}: Logback reads its XML when the process makes
 * its first logger, before the command has loaded its configuration, so the XML cannot know a
 * format given in a config file or with {@code --set}; and an XML file can only choose its encoder
 * class with {@code <if>}, which needs Janino on the class path. So the XML always sets up text,
 * and once the configuration is loaded (before the server starts, so every line of the server is in
 * one format), the JSON format replaces the encoder of every console appender, in place, with
 * Logback's own {@link JsonEncoder}: one JSON object per line. Appenders that write elsewhere, and
 * every logger level, are left as they are, so a configuration of one's own given with {@code
 * -Dlogback.configurationFile} keeps its file appenders. With another SLF4J binding nothing is
 * changed.
 */
final class ConsoleLog {
  private ConsoleLog() {}

  /**
   * Switches the console appenders of {@code factory}'s loggers to {@code format}.
   *
   * @return how many appenders were switched: 0 for the text format, which the XML already sets up
   */
  static int use(LogFormat format, ILoggerFactory factory) {
    if (format == LogFormat.TEXT || !(factory instanceof LoggerContext context)) {
      return 0;
    }
    Set<Appender<ILoggingEvent>> switched = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        Appender<ILoggingEvent> appender = it.next();
        if (appender instanceof ConsoleAppender<ILoggingEvent> console && switched.add(console)) {
          // One reference assignment: an event logged meanwhile by another thread is written
          // whole, in one format or the other.
          console.setEncoder(jsonEncoder(context));
        }
      }
    }
    return switched.size();
  }

  /**
   * Logback's JSON encoder with what an operator reads: the time (epoch milliseconds), level,
   * thread, logger, the message with its arguments filled in, the MDC, markers and key-value pairs,
   * and a throwable with its stack; not the raw message pattern and its arguments apart, nor the
   * sequence number, nanoseconds and the logger context's name and properties.
   */
  private static JsonEncoder jsonEncoder(LoggerContext context) {
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    json.start();
    return json;
  }
}
