package dev.mailroom.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mailroom hooks install --client NAME}: registers Mailroom's MCP server with a coding agent
 * and installs hooks that show the agent its unread mail at session start and at each prompt. Files
 * are merged, never replaced: every other setting stays; running it again changes nothing. {@code
 * mailroom hooks install --git}: a git pre-commit hook that refuses commits touching paths another
 * agent has reserved ({@link GitHook}).
 */
@Command(
    name = "install",
    mixinStandardHelpOptions = true,
    description = {
      "Register the mailroom MCP server with a coding agent and install hooks that print the"
          + " agent's unread mail (`mailroom hook inbox`) at session start and at each prompt.",
      "Existing settings are kept; running it again changes nothing. No token is written: the"
          + " agent must run with MAILROOM_URL and MAILROOM_TOKEN in its environment.",
      "",
      "Clients: claude-code (.claude/settings.json and .mcp.json, or ~/.claude/settings.json and"
          + " ~/.claude.json), codex (.codex/config.toml and .codex/hooks.json, or the same in"
          + " CODEX_HOME / ~/.codex).",
      "",
      "--git: a git pre-commit hook in the repository (where core.hooksPath says, else"
          + " .git/hooks) that runs 'mailroom reservations check' on the staged files and refuses"
          + " a commit touching paths another agent holds exclusively. It reads MAILROOM_URL and"
          + " MAILROOM_TOKEN from the environment when it runs. An existing hook that is not"
          + " Mailroom's is left alone unless --force; installing again updates Mailroom's own.",
      "",
      "Examples:",
      "  mailroom hooks install --client claude-code",
      "  mailroom hooks install --client codex --scope user --dry-run",
      "  mailroom hooks install --git --project mailroom"
    })
final class HooksInstallCommand implements Callable<Integer> {
  /** Set by the launchers to their own path, so that hooks run the same Mailroom. */
  static final String LAUNCHER_VARIABLE = "MAILROOM_LAUNCHER";

  static final List<String> CLIENTS = List.of("claude-code", "codex");

  @Spec CommandSpec spec;

  @Option(
      names = "--client",
      paramLabel = "NAME",
      completionCandidates = Clients.class,
      description = "The coding agent: ${COMPLETION-CANDIDATES}.")
  @Nullable String client;

  @Option(names = "--git", description = "A git pre-commit hook that checks reservations.")
  boolean git;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description = "With --git: the repository (default: the current directory).")
  Path repo = Path.of(".");

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "With --git: the project the hook checks. Default: the repository's name.")
  @Nullable String project;

  @Option(names = "--force", description = "With --git: replace a hook that is not Mailroom's.")
  boolean force;

  @Option(names = "--json", description = "With --git: print the result as JSON.")
  boolean json;

  @Option(
      names = "--scope",
      paramLabel = "SCOPE",
      description =
          "project (default: the project's files, to commit) or user (yours, everywhere).")
  InstallTarget.Scope scope = InstallTarget.Scope.PROJECT;

  @Option(names = "--home", paramLabel = "DIR", description = "The home directory. Default: yours.")
  @Nullable Path home;

  @Option(
      names = "--project-dir",
      paramLabel = "DIR",
      description = "The project's root. Default: the current directory.")
  @Nullable Path projectDir;

  @Option(
      names = {"--command", "--launcher"},
      paramLabel = "PATH",
      description =
          "The mailroom launcher the hooks and the MCP server run. Default: this one"
              + " (env MAILROOM_LAUNCHER), else `mailroom` from PATH.")
  @Nullable String command;

  @Option(names = "--dry-run", description = "Print what would be written; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws IOException {
    Terminal terminal = ((Main) spec.root().userObject()).terminal();
    if (git && client != null) {
      throw new ParameterException(spec.commandLine(), "Give --client or --git, not both");
    }
    if (git) {
      return installGit(terminal);
    }
    if (client == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing --client (one of " + CLIENTS + ") or --git");
    }
    InstallTarget target = target(terminal);
    List<ConfigFile> files =
        switch (client) {
          case "claude-code" -> ClaudeCodeConfig.plan(target);
          case "codex" -> CodexConfig.plan(target);
          default ->
              throw new ParameterException(
                  spec.commandLine(),
                  "Invalid value for option '--client': '" + client + "' is not one of " + CLIENTS);
        };
    PrintWriter out = terminal.out();
    for (ConfigFile f : files) {
      if (!f.changes()) {
        out.println("unchanged " + f.path());
      } else if (dryRun) {
        out.println((f.before().isPresent() ? "would update " : "would create ") + f.path() + ":");
        out.print(f.after());
      } else {
        f.write();
        out.println((f.before().isPresent() ? "updated " : "created ") + f.path());
      }
    }
    out.println(
        "The agent must run with "
            + ConnectionOptions.URL_VARIABLE
            + " and "
            + ConnectionOptions.TOKEN_VARIABLE
            + " (its own agent's token) in its environment; no token was written.");
    return ExitCode.OK.code();
  }

  private InstallTarget target(Terminal terminal) {
    var env = terminal.environment();
    Path homeDir =
        Optional.ofNullable(home)
            .or(() -> Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank()).map(Path::of))
            .orElseGet(() -> Path.of(System.getProperty("user.home")))
            .toAbsolutePath();
    Path codexHome =
        home == null && env.get("CODEX_HOME") != null && !env.get("CODEX_HOME").isBlank()
            ? Path.of(env.get("CODEX_HOME")).toAbsolutePath()
            : homeDir.resolve(".codex");
    String launcher =
        Optional.ofNullable(command)
            .or(() -> Optional.ofNullable(env.get(LAUNCHER_VARIABLE)))
            .filter(c -> !c.isBlank())
            .orElse("mailroom");
    return new InstallTarget(
        scope,
        homeDir,
        Optional.ofNullable(projectDir).orElse(Path.of("")).toAbsolutePath().normalize(),
        codexHome,
        launcher);
  }

  /** {@code --git}: the pre-commit hook, in the repository's hooks directory. */
  private int installGit(Terminal terminal) throws IOException {
    Output out = new Output(terminal.out(), json);
    GitRepository repository = new GitRepository(repo);
    String name = project != null ? project : repository.topLevel().getFileName().toString();
    Path hooks = repository.hooksDirectory();
    String launcher =
        Optional.ofNullable(command)
            .or(() -> Optional.ofNullable(terminal.environment().get(LAUNCHER_VARIABLE)))
            .filter(c -> !c.isBlank())
            .orElse("mailroom");
    try {
      GitHook.Result result = GitHook.install(hooks, GitHook.script(launcher, name), force);
      Path file = hooks.resolve(GitHook.NAME);
      out.either(
          Map.of(
              "hook",
              file.toString(),
              "project",
              name,
              "result",
              result.name().toLowerCase(Locale.ROOT)),
          switch (result) {
            case INSTALLED -> "installed " + file + " (project " + name + ")";
            case UPDATED -> "updated " + file + " (project " + name + ")";
            case UNCHANGED -> file + " is already installed (project " + name + ")";
            case REPLACED_FOREIGN -> "replaced the hook " + file + " (project " + name + ")";
          });
      return ExitCode.OK.code();
    } catch (IllegalStateException e) {
      terminal.err().println("mailroom: " + e.getMessage());
      return ExitCode.CONFLICT.code();
    }
  }

  /** The names {@code --client} takes, for help and completion. */
  static final class Clients implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return CLIENTS.iterator();
    }
  }
}
