package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Merging command hooks into a JSON hook file keeps everything else and is idempotent. */
class JsonConfigTest {
  private static final Path FILE = Path.of("settings.json");
  private static final String HOOK = "/opt/mailroom/bin/mailroom hook inbox";

  private static final String EXISTING =
      """
      {
        "permissions": {"allow": ["Bash(git status)"]},
        "hooks": {
          "UserPromptSubmit": [
            {"hooks": [{"type": "command", "command": "echo reminder"}]}
          ],
          "PostToolUse": [
            {"matcher": "Edit|Write", "hooks": [{"type": "command", "command": "prettier --write"}]}
          ]
        },
        "model": "opus"
      }
      """;

  @Test
  void addsTheHookToEachEventAndKeepsEveryOtherSetting() {
    String after = install(Optional.of(EXISTING));

    ObjectNode root = JsonConfig.parse(FILE, Optional.of(after));
    assertThat(root.propertyNames()).containsExactly("permissions", "hooks", "model");
    assertThat(root.at("/permissions/allow/0").asString()).isEqualTo("Bash(git status)");
    assertThat(root.at("/hooks/PostToolUse/0/hooks/0/command").asString())
        .isEqualTo("prettier --write");
    assertThat(root.at("/hooks/UserPromptSubmit/0/hooks/0/command").asString())
        .isEqualTo("echo reminder");
    assertThat(root.at("/hooks/UserPromptSubmit/1/hooks/0/command").asString()).isEqualTo(HOOK);
    assertThat(root.at("/hooks/UserPromptSubmit/1/hooks/0/type").asString()).isEqualTo("command");
    assertThat(root.at("/hooks/UserPromptSubmit/1/hooks/0/timeout").asInt()).isEqualTo(10);
    assertThat(root.at("/hooks/SessionStart/0/hooks/0/command").asString()).isEqualTo(HOOK);
    assertThat(root.at("/hooks/SessionStart/0").has("matcher")).isFalse();
  }

  @Test
  void installingAgainChangesNothing() {
    String once = install(Optional.of(EXISTING));

    assertThat(install(Optional.of(once))).isEqualTo(once);
  }

  @Test
  void aHookOfAnotherMailroomLauncherIsPointedAtThisOne() {
    String old = install(Optional.empty()).replace(HOOK, "/home/me/old/bin/mailroom hook inbox");

    String after = install(Optional.of(old));

    assertThat(after).doesNotContain("/home/me/old").isEqualTo(install(Optional.empty()));
  }

  @Test
  void startsFromNothingWhenThereIsNoFileOrAnEmptyOne() {
    assertThat(install(Optional.of("  \n"))).isEqualTo(install(Optional.empty()));
    assertThat(install(Optional.empty()))
        .startsWith("{\n  \"hooks\": {\n    \"SessionStart\": [\n")
        .endsWith("}\n");
  }

  @Test
  void refusesAFileThatIsNotAnObjectWithoutQuotingIt() {
    assertThatThrownBy(() -> install(Optional.of("[\"secret-token\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settings.json is not a JSON object")
        .hasMessageNotContaining("secret-token");
    assertThatThrownBy(() -> install(Optional.of("{\"hooks\": []}")))
        .hasMessageContaining("\"hooks\" is not an object");
    assertThatThrownBy(() -> install(Optional.of("{\"hooks\": {\"SessionStart\": {}}}")))
        .hasMessageContaining("hooks \"SessionStart\" is not an array");
  }

  private static String install(Optional<String> before) {
    ObjectNode root = JsonConfig.parse(FILE, before);
    ObjectNode hooks = JsonConfig.object(FILE, root, "hooks");
    for (String event : ClaudeCodeConfig.EVENTS) {
      JsonConfig.addCommandHook(FILE, hooks, event, HOOK, 10);
    }
    return JsonConfig.write(root);
  }
}
