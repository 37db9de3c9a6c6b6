package dev.mailroom.cli;

import dev.mailroom.client.AuditQuery;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Order;
import dev.mailroom.protocol.AuditRecordList;
import dev.mailroom.protocol.AuditRecordView;
import dev.mailroom.protocol.AuditVerification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mailroom audit}: the audit log (admins). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Read and verify the audit log (admins).",
    subcommands = {AuditCommand.ListRecords.class, AuditCommand.Verify.class})
final class AuditCommand extends CommandGroup {
  static final List<String> HEADER =
      List.of("AT", "ACTOR", "ACTION", "RESOURCE", "STATUS", "OUTCOME", "DETAIL");

  static List<String> row(AuditRecordView r) {
    return List.of(
        Formats.time(r.at()),
        r.actor(),
        r.action(),
        r.resource(),
        Integer.toString(r.status()),
        r.outcome(),
        r.detail().orElse(""));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List audit records, oldest first; the filters are exact matches.",
        "",
        "  mailroom audit list --outcome denied --since 2026-11-22T00:00:00Z",
        "  mailroom audit list --actor alice --action 'POST /v1/messages' --all"
      })
  static final class ListRecords extends ClientCommand {
    @Option(names = "--actor", paramLabel = "AGENT", description = "The agent (- for none).")
    @Nullable String actor;

    @Option(names = "--action", paramLabel = "ACTION", description = "'METHOD /route/{template}'.")
    @Nullable String action;

    @Option(names = "--resource", paramLabel = "NAME", description = "What it acted on.")
    @Nullable String resource;

    @Option(names = "--outcome", paramLabel = "O", description = "ok, denied, invalid or failed.")
    @Nullable String outcome;

    @Option(names = "--since", paramLabel = "TIME", description = "At or after (ISO-8601).")
    @Nullable Instant since;

    @Option(names = "--until", paramLabel = "TIME", description = "Before (ISO-8601).")
    @Nullable Instant until;

    @Option(names = "--limit", paramLabel = "N", description = "Records per page (1-1000).")
    @Nullable Integer limit;

    @Option(names = "--desc", description = "Newest first.")
    boolean desc;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Continue from a cursor.")
    @Nullable String cursor;

    @Option(names = "--all", description = "Every page (one record per line with --json).")
    boolean all;

    @Override
    ExitCode run(MailroomClient client, Output out) {
      AuditQuery query = query();
      if (all) {
        List<List<String>> rows = new ArrayList<>();
        Progress.walk(
            terminal(),
            "audit records",
            client.audit().pages(query),
            AuditRecordList::records,
            r -> {
              if (out.json()) {
                out.json(r);
              } else {
                rows.add(row(r));
              }
            });
        out.table(HEADER, rows);
        return ExitCode.OK;
      }
      AuditRecordList page = client.audit().list(query);
      if (out.json()) {
        out.json(page);
        return ExitCode.OK;
      }
      out.table(HEADER, page.records().stream().map(AuditCommand::row).toList());
      if (page.records().isEmpty()) {
        terminal().err().println("no audit records");
      }
      page.nextCursor().ifPresent(c -> terminal().err().println("more: --cursor " + c));
      return ExitCode.OK;
    }

    private AuditQuery query() {
      AuditQuery.Builder b = AuditQuery.builder();
      Optional.ofNullable(actor).ifPresent(b::actor);
      Optional.ofNullable(action).ifPresent(b::action);
      Optional.ofNullable(resource).ifPresent(b::resource);
      Optional.ofNullable(outcome).ifPresent(b::outcome);
      Optional.ofNullable(since).ifPresent(b::since);
      Optional.ofNullable(until).ifPresent(b::until);
      Optional.ofNullable(limit).ifPresent(b::limit);
      if (desc) {
        b.order(Order.DESC);
      }
      Optional.ofNullable(cursor).ifPresent(b::cursor);
      return b.build();
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check every hash chain of the audit log; exit 13 when one is broken. Reads the whole"
              + " log.")
  static final class Verify extends ClientCommand {
    @Override
    ExitCode run(MailroomClient client, Output out) {
      AuditVerification v = client.audit().verify();
      if (out.json()) {
        out.json(v);
      } else {
        for (AuditVerification.Chain c : v.chains()) {
          out.line(
              "chain "
                  + c.chain()
                  + ": "
                  + c.records()
                  + " records, "
                  + c.problem()
                      .map(p -> "BROKEN at index " + p.index() + ": " + p.reason())
                      .orElse("ok"));
        }
        out.line(v.ok() ? "the audit log verifies" : "the audit log is BROKEN");
      }
      return v.ok() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
  }
}
