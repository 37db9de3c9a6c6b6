package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.EnrollRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mailroom enroll}: register oneself with an enrollment secret given as the token. */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = {
      "Register an agent with an enrollment secret (mre_..., from 'mailroom enrollments create')",
      "given as --token or MAILROOM_TOKEN; prints the new agent's own token, shown only once.",
      "",
      "  WORKER=$(MAILROOM_TOKEN=$SECRET mailroom enroll worker-1 --display-name 'Worker 1' -q)"
    })
final class EnrollCommand extends ClientCommand {
  @Parameters(paramLabel = "ID", description = "The new agent's id.")
  String id = "";

  @Mixin DirectoryCommands.ProfileOptions profile;

  @Mixin AgentsCommand.Issued issued;

  @Override
  ExitCode run(MailroomClient client, Output out) {
    AgentCreated a = client.agents().enroll(EnrollRequest.of(id, profile.request()));
    issued.print(a, out);
    return ExitCode.OK;
  }
}
