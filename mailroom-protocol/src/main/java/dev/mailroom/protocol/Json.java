package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.core.ErrorReportConfiguration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper configured for Mailroom's wire format: {@code snake_case} names, absent optional
 * fields left out, ISO-8601 instants, unknown properties, duplicate properties and trailing content
 * refused, and decimal numbers read exactly (as {@code BigDecimal}). Mappers are immutable and
 * thread-safe; share them.
 *
 * <p>A mapper reads documents nested and with numbers only as far as its limits allow ({@link
 * JsonLimits}); past them it throws a {@link JsonLimitException} in plain words. Strings are not
 * limited here: the body or answer that holds them is.
 */
public final class Json {
  private static final JsonMapper MAPPER =
      mapper(JsonLimits.READER_MAX_DEPTH, JsonLimits.READER_MAX_NUMBER_LENGTH);

  private static final JsonMapper TOLERANT =
      MAPPER.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Json() {}

  /**
   * The shared mapper, reading what clients read: documents nested up to {@link
   * JsonLimits#READER_MAX_DEPTH} levels with numbers of up to {@link
   * JsonLimits#READER_MAX_NUMBER_LENGTH} characters, more than any server sends.
   */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * The shared mapper, except that it ignores properties no record declares: for clients, which
   * must keep reading the answers of a newer server that added fields.
   */
  public static JsonMapper tolerantMapper() {
    return TOLERANT;
  }

  /**
   * A new mapper like {@link #mapper()} that reads documents nested at most {@code maxDepth} levels
   * with numbers of at most {@code maxNumberLength} characters, and writes documents as deep.
   *
   * @throws IllegalArgumentException if a limit is less than 1
   */
  public static JsonMapper mapper(int maxDepth, int maxNumberLength) {
    if (maxDepth < 1 || maxNumberLength < 1) {
      throw new IllegalArgumentException("JSON limits must be positive");
    }
    return JsonMapper.builder(
            JsonFactory.builder()
                .streamReadConstraints(new ReadLimits(maxDepth, maxNumberLength, Integer.MAX_VALUE))
                .streamWriteConstraints(
                    StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build())
                // Error messages quote at most a short piece of the offending input.
                .errorReportConfiguration(
                    ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(32)
                        .maxRawContentLength(0)
                        .build())
                .build())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .changeDefaultPropertyInclusion(
            incl -> incl.withValueInclusion(JsonInclude.Include.NON_ABSENT))
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        // JSON payloads keep their numbers exactly as sent (no rounding through double).
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }

  /**
   * A failure to read JSON in one line of plain words, without the JSON library's class, method or
   * feature names: a limit as {@link JsonLimitException} says it, a syntax error as the parser says
   * it (quoting at most 32 characters of the input), a value of the wrong type for a record as
   * such. When the failure is inside a record being read, the path to the value leads, as in {@code
   * "messages[0].payload: is nested deeper than 1005 levels"}; otherwise the sentence reads after a
   * field name: {@code "is nested deeper than 64 levels"}.
   */
  public static String describe(JacksonException e) {
    String what;
    if (e instanceof JsonLimitException limit) {
      // Each step of the path is one array or object the value sits in.
      what = limit.describeAt(e.getPath().size());
    } else if (e instanceof MismatchedInputException
        && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
      what = "has more content after the JSON value";
    } else if (e instanceof DatabindException) {
      what = "is not of the expected type";
    } else {
      what = syntax(String.valueOf(e.getOriginalMessage()));
    }
    String path = path(e.getPath());
    return path.isEmpty() ? what : path + ": " + what;
  }

  private static String syntax(String message) {
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline);
    }
    // "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
    int hint = message.indexOf(": enable `");
    if (hint >= 0) {
      message = message.substring(0, hint);
    }
    if (message.indexOf('`') >= 0 || message.isBlank()) {
      return "is not valid JSON";
    }
    return message.length() > 200 ? message.substring(0, 197) + "..." : message;
  }

  private static String path(List<JacksonException.Reference> references) {
    StringBuilder b = new StringBuilder();
    for (JacksonException.Reference r : references) {
      if (r.getPropertyName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }
}
