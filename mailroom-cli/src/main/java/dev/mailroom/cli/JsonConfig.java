package dev.mailroom.cli;

import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Editing the JSON configuration files of coding agents: every key the install does not own is kept
 * as it was, in its order; the file is written back indented by two spaces, as the agents write it
 * themselves.
 */
final class JsonConfig {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final ObjectWriter WRITER =
      MAPPER
          .writer()
          .with(
              new DefaultPrettyPrinter()
                  .withSeparators(
                      Separators.createDefaultInstance()
                          .withObjectNameValueSpacing(Separators.Spacing.AFTER))
                  .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                  .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

  /** The type of a hook that runs a command, in both Claude Code's and Codex's hook files. */
  static final String COMMAND = "command";

  private JsonConfig() {}

  /**
   * The object a file holds, or an empty one when there is no file or it is empty.
   *
   * @throws IllegalArgumentException if the file holds something else than a JSON object
   */
  static ObjectNode parse(Path path, Optional<String> content) {
    if (content.isEmpty() || content.get().isBlank()) {
      return MAPPER.createObjectNode();
    }
    try {
      JsonNode node = MAPPER.readTree(content.get());
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (JacksonException e) {
      // reported below, without the parser's message (it may quote the file's secrets)
    }
    throw new IllegalArgumentException(
        path + " is not a JSON object; fix or move it, then install again");
  }

  static String write(ObjectNode root) {
    return WRITER.writeValueAsString(root) + "\n";
  }

  /** The object under {@code key}, made when absent. */
  static ObjectNode object(Path path, ObjectNode parent, String key) {
    JsonNode node = parent.get(key);
    if (node == null || node.isNull()) {
      return parent.putObject(key);
    }
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw new IllegalArgumentException(path + ": \"" + key + "\" is not an object");
  }

  /**
   * Adds a command hook to one event of a {@code hooks} object ({@code {"Event": [{"hooks":
   * [{"type": "command", "command": ...}]}]}}, the shape Claude Code and Codex share): nothing when
   * the event already runs {@code command}; the command replaced in place when the event runs an
   * older Mailroom hook (one whose command runs {@code hook inbox} from another launcher); else a
   * new matcher group without a matcher (every occurrence of the event).
   */
  static void addCommandHook(
      Path path, ObjectNode hooks, String event, String command, int timeoutSeconds) {
    JsonNode existing = hooks.get(event);
    ArrayNode groups;
    if (existing == null || existing.isNull()) {
      groups = hooks.putArray(event);
    } else if (existing instanceof ArrayNode array) {
      groups = array;
    } else {
      throw new IllegalArgumentException(path + ": hooks \"" + event + "\" is not an array");
    }
    Optional<ObjectNode> older = Optional.empty();
    for (JsonNode group : groups) {
      for (JsonNode hook : group.path("hooks")) {
        String c = hook.path(COMMAND).asString("");
        if (c.equals(command)) {
          return;
        }
        if (hook instanceof ObjectNode h && isMailroomHook(c)) {
          older = Optional.of(h);
        }
      }
    }
    if (older.isPresent()) {
      older.get().put(COMMAND, command);
      return;
    }
    ObjectNode hook = groups.addObject().putArray("hooks").addObject();
    hook.put("type", COMMAND);
    hook.put(COMMAND, command);
    hook.put("timeout", timeoutSeconds);
  }

  private static boolean isMailroomHook(String command) {
    return command.contains("mailroom") && command.endsWith(" hook inbox");
  }
}
