package dev.mailroom.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mailroom hooks}: hooks that connect other tools to Mailroom. */
@Command(
    name = "hooks",
    mixinStandardHelpOptions = true,
    description = "Install hooks that connect other tools to Mailroom.",
    subcommands = {HooksCommand.Install.class})
final class HooksCommand extends CommandGroup {

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = {
        "Install a hook. --git: a git pre-commit hook in the repository (where core.hooksPath"
            + " says, else .git/hooks) that runs 'mailroom reservations check' on the staged"
            + " files and refuses a commit touching paths another agent holds exclusively. It"
            + " reads MAILROOM_URL and MAILROOM_TOKEN from the environment when it runs; no token"
            + " is written into it. An existing hook that is not Mailroom's is left alone unless"
            + " --force; installing again updates Mailroom's own."
      })
  static final class Install implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Which hook: exactly one kind. */
    static final class Kind {
      @Option(names = "--git", required = true, description = "A git pre-commit hook.")
      boolean git;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind = new Kind();

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        description = "The git repository (default: the current directory).")
    Path repo = Path.of(".");

    @Option(
        names = "--project",
        paramLabel = "NAME",
        description = "The project the hook checks. Default: the repository's directory name.")
    @Nullable String project;

    @Option(
        names = "--launcher",
        paramLabel = "COMMAND",
        description = "How the hook runs the CLI. Default: mailroom (found on PATH).")
    String launcher = "mailroom";

    @Option(names = "--force", description = "Replace a pre-commit hook that is not Mailroom's.")
    boolean force;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Terminal terminal = ((Main) spec.root().userObject()).terminal();
      Output out = new Output(terminal.out(), json);
      GitRepository git = new GitRepository(repo);
      String name = project != null ? project : git.topLevel().getFileName().toString();
      Path hooks = git.hooksDirectory();
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
  }
}
