package dev.mailroom.cli;

import picocli.CommandLine.Command;

/** {@code mailroom hooks ...}: installs Mailroom into coding agents' configuration. */
@Command(
    name = "hooks",
    mixinStandardHelpOptions = true,
    description = "Install Mailroom into coding agents (Claude Code, Codex): MCP server and hooks.",
    subcommands = HooksInstallCommand.class)
final class HooksCommand extends CommandGroup {}
