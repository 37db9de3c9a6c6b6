package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Putting one table into a TOML file keeps the rest of the file exactly and is idempotent. */
class TomlTableTest {
  private static final Path FILE = Path.of("config.toml");
  private static final String TABLE = "mcp_servers.mailroom";
  private static final List<String> LINES = List.of("command = \"mailroom\"", "args = [\"mcp\"]");

  private static final String EXISTING =
      """
      # my settings
      model = "o3"

      [mcp_servers.docs]
      command = "npx"  # a comment
      args = ["-y", "docs"]

      [features]
      hooks = true
      """;

  @Test
  void appendsTheTableAndKeepsTheFileAsItWas() {
    String after = TomlTable.put(FILE, Optional.of(EXISTING), TABLE, LINES);

    assertThat(after)
        .isEqualTo(
            EXISTING
                + """

                [mcp_servers.mailroom]
                command = "mailroom"
                args = ["mcp"]
                """);
  }

  @Test
  void replacesTheTableWhereItIsAndLeavesItsNeighbours() {
    String old =
        EXISTING.replace(
            "[features]",
            "[mcp_servers.mailroom]\ncommand = \"/old/mailroom\"\nstartup_timeout_sec = 5\n\n"
                + "[mcp_servers.mailroom.env]\nX = \"1\"\n\n[features]");

    String after = TomlTable.put(FILE, Optional.of(old), TABLE, LINES);

    assertThat(after)
        .doesNotContain("/old/mailroom", "startup_timeout_sec")
        .contains(
            "[mcp_servers.mailroom]\ncommand = \"mailroom\"\nargs = [\"mcp\"]\n\n"
                + "[mcp_servers.mailroom.env]\nX = \"1\"\n\n[features]\nhooks = true\n")
        .startsWith("# my settings\nmodel = \"o3\"\n\n[mcp_servers.docs]\n");
  }

  @Test
  void installingAgainChangesNothing() {
    String once = TomlTable.put(FILE, Optional.of(EXISTING), TABLE, LINES);

    assertThat(TomlTable.put(FILE, Optional.of(once), TABLE, LINES)).isEqualTo(once);
    String fresh = TomlTable.put(FILE, Optional.empty(), TABLE, LINES);
    assertThat(fresh)
        .isEqualTo("[mcp_servers.mailroom]\ncommand = \"mailroom\"\nargs = [\"mcp\"]\n");
    assertThat(TomlTable.put(FILE, Optional.of(fresh), TABLE, LINES)).isEqualTo(fresh);
  }

  @Test
  void refusesATableDefinedWithDottedKeysOrInline() {
    assertThatThrownBy(
            () ->
                TomlTable.put(
                    FILE, Optional.of("mcp_servers.mailroom.command = \"x\"\n"), TABLE, LINES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a [mcp_servers.mailroom] header");
    assertThatThrownBy(
            () ->
                TomlTable.put(
                    FILE,
                    Optional.of("mcp_servers = { mailroom = { command = \"x\" } }\n"),
                    TABLE,
                    LINES))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotesStringsAsTomlBasicStrings() {
    assertThat(TomlTable.string("/opt/my \"mail\"\\room\n"))
        .isEqualTo("\"/opt/my \\\"mail\\\"\\\\room\\u000A\"");
  }
}
