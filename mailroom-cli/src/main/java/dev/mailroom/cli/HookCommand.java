package dev.mailroom.cli;

import picocli.CommandLine.Command;

/**
 * {@code mailroom hook ...}: commands that coding agents run from their hooks (installed by {@code
 * mailroom hooks install}).
 */
@Command(
    name = "hook",
    mixinStandardHelpOptions = true,
    description = "Commands a coding agent's hooks run (see `mailroom hooks install`).",
    subcommands = HookInboxCommand.class)
final class HookCommand extends CommandGroup {}
