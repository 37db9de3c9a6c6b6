package dev.mailroom.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.core.ErrorReportConfiguration;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper configured for Mailroom's wire format: {@code snake_case} names, absent optional
 * fields left out, ISO-8601 instants, unknown properties, duplicate properties and trailing content
 * refused, and decimal numbers read exactly (as {@code BigDecimal}). The mapper is immutable and
 * thread-safe; share it.
 */
public final class Json {
  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
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

  private static final JsonMapper TOLERANT =
      MAPPER.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Json() {}

  /** The shared mapper. */
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
}
