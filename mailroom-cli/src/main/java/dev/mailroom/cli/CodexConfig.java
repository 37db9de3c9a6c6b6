package dev.mailroom.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Codex's configuration for Mailroom: the MCP server {@code [mcp_servers.mailroom]} in {@code
 * config.toml}, forwarding {@code MAILROOM_URL} and {@code MAILROOM_TOKEN} from Codex's environment
 * ({@code env_vars}: Codex passes a stdio server only a short list of variables otherwise), and a
 * {@code SessionStart} and a {@code UserPromptSubmit} command hook in {@code hooks.json}, whose
 * plain output Codex adds to the model's context. User scope writes Codex's own directory ({@code
 * CODEX_HOME}, by default {@code ~/.codex}); project scope the project's {@code .codex}, which
 * Codex reads only in a project the user trusts. No token is written.
 */
final class CodexConfig {
  static final String TABLE = "mcp_servers." + ClaudeCodeConfig.SERVER;

  private CodexConfig() {}

  static List<ConfigFile> plan(InstallTarget target) {
    Path dir =
        target.scope() == InstallTarget.Scope.USER
            ? target.codexHome()
            : target.projectDir().resolve(".codex");
    return List.of(
        config(dir.resolve("config.toml"), target), hooks(dir.resolve("hooks.json"), target));
  }

  private static ConfigFile config(Path path, InstallTarget target) {
    Optional<String> before = ConfigFile.read(path);
    String after =
        TomlTable.put(
            path,
            before,
            TABLE,
            List.of(
                "command = " + TomlTable.string(target.launcher()),
                "args = [\"mcp\"]",
                "env_vars = [\""
                    + ConnectionOptions.URL_VARIABLE
                    + "\", \""
                    + ConnectionOptions.TOKEN_VARIABLE
                    + "\"]"));
    return new ConfigFile(path, before, after);
  }

  private static ConfigFile hooks(Path path, InstallTarget target) {
    Optional<String> before = ConfigFile.read(path);
    ObjectNode root = JsonConfig.parse(path, before);
    ObjectNode hooks = JsonConfig.object(path, root, "hooks");
    for (String event : ClaudeCodeConfig.EVENTS) {
      JsonConfig.addCommandHook(
          path, hooks, event, target.hookCommand(), InstallTarget.HOOK_TIMEOUT_SECONDS);
    }
    return new ConfigFile(path, before, JsonConfig.write(root));
  }
}
