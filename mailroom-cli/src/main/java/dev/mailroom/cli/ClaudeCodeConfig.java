package dev.mailroom.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Claude Code's configuration for Mailroom: in its settings ({@code .claude/settings.json} of the
 * project, or {@code ~/.claude/settings.json}) a {@code SessionStart} and a {@code
 * UserPromptSubmit} command hook running {@code mailroom hook inbox}, whose output Claude Code adds
 * to the model's context; and the MCP server {@code mailroom} ({@code mailroom mcp} over stdio), in
 * the project's {@code .mcp.json} or the user's {@code ~/.claude.json}.
 *
 * <p>No token is written. The MCP server and the hooks take {@code MAILROOM_URL} and {@code
 * MAILROOM_TOKEN} from the environment Claude Code runs in; in {@code .mcp.json}, which is meant to
 * be committed, they are named as Claude Code's {@code ${VAR}} references, so the file says what
 * the server needs and every person (or agent) supplies their own.
 */
final class ClaudeCodeConfig {
  static final String SERVER = "mailroom";
  static final List<String> EVENTS = List.of("SessionStart", "UserPromptSubmit");

  private ClaudeCodeConfig() {}

  static List<ConfigFile> plan(InstallTarget target) {
    boolean user = target.scope() == InstallTarget.Scope.USER;
    Path settings =
        (user ? target.home() : target.projectDir()).resolve(".claude").resolve("settings.json");
    Path mcp =
        user ? target.home().resolve(".claude.json") : target.projectDir().resolve(".mcp.json");
    return List.of(settings(settings, target), mcp(mcp, target, !user));
  }

  private static ConfigFile settings(Path path, InstallTarget target) {
    Optional<String> before = ConfigFile.read(path);
    ObjectNode root = JsonConfig.parse(path, before);
    ObjectNode hooks = JsonConfig.object(path, root, "hooks");
    for (String event : EVENTS) {
      JsonConfig.addCommandHook(
          path, hooks, event, target.hookCommand(), InstallTarget.HOOK_TIMEOUT_SECONDS);
    }
    return new ConfigFile(path, before, JsonConfig.write(root));
  }

  private static ConfigFile mcp(Path path, InstallTarget target, boolean withReferences) {
    Optional<String> before = ConfigFile.read(path);
    ObjectNode root = JsonConfig.parse(path, before);
    ObjectNode server = JsonConfig.object(path, root, "mcpServers").putObject(SERVER);
    server.put("type", "stdio");
    server.put("command", target.launcher());
    server.putArray("args").add("mcp");
    if (withReferences) {
      ObjectNode env = server.putObject("env");
      env.put(
          ConnectionOptions.URL_VARIABLE,
          "${" + ConnectionOptions.URL_VARIABLE + ":-http://127.0.0.1:8080}");
      env.put(ConnectionOptions.TOKEN_VARIABLE, "${" + ConnectionOptions.TOKEN_VARIABLE + "}");
    }
    return new ConfigFile(path, before, JsonConfig.write(root));
  }
}
