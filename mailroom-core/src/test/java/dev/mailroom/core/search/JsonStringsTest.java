package dev.mailroom.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {
  @Test
  void stringValuesAreKeptAndKeysNumbersAndLiteralsAreNot() {
    assertThat(
            JsonStrings.values(
                "{\"note\": \"caf\\u00e9 \\\"menu\\\"\", \"n\": 3, \"ok\": true,"
                    + " \"list\": [\"a\\nb\", {\"k\" : \"v\"}]}"))
        .isEqualTo("café \"menu\"\na b\nv");
    assertThat(JsonStrings.values("42")).isEmpty();
    assertThat(JsonStrings.values("\"unterminated")).isEqualTo("unterminated");
  }
}
