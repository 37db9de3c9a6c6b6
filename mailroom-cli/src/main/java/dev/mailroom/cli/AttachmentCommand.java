package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.protocol.AttachmentView;
import dev.mailroom.protocol.MessageView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mailroom attachment}: the files messages carry. */
@Command(
    name = "attachment",
    mixinStandardHelpOptions = true,
    description = "List and download the files a message carries.",
    subcommands = {AttachmentCommand.ListAttachments.class, AttachmentCommand.Get.class})
final class AttachmentCommand extends CommandGroup {

  /** {@code attachment list}: a message's files. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the files a message carries: number, name, type, size, SHA-256.",
        "",
        "  mailroom attachment list 1M819J5X70000"
      })
  static final class ListAttachments extends ClientCommand {
    @Parameters(paramLabel = "MESSAGE", description = "The message id.")
    String id = "";

    @Override
    ExitCode run(MailroomClient client, Output out) {
      List<AttachmentView> all = client.attachments().list(id);
      if (out.json()) {
        all.forEach(out::json);
        return ExitCode.OK;
      }
      if (all.isEmpty()) {
        out.line(id + ": no attachments");
      }
      out.table(
          List.of("N", "NAME", "TYPE", "SIZE", "SHA256"),
          all.stream()
              .map(
                  a ->
                      List.of(
                          Integer.toString(a.n()),
                          a.name(),
                          a.contentType(),
                          Formats.bytes(a.size()),
                          a.sha256()))
              .toList());
      return ExitCode.OK;
    }
  }

  /** {@code attachment get}: download to files, checked by SHA-256. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = {
        "Download a message's attachment N (every one when N is left out), each checked against"
            + " its SHA-256. A file is saved under its attachment's name in the current directory"
            + " (or in -o DIR); a name that is not a plain file name there (a path, a hidden"
            + " file, control characters) is refused: give -o PATH. An existing file is never"
            + " replaced without --force. The download goes to PATH.part first and resumes from it"
            + " when run again.",
        "",
        "  mailroom attachment get 1M819J5X70000",
        "  mailroom attachment get 1M819J5X70000 1 -o /tmp/run.log"
      })
  static final class Get extends ClientCommand {
    @Parameters(index = "0", paramLabel = "MESSAGE", description = "The message id.")
    String id = "";

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "N",
        description = "The attachment, from 0; default: every one.")
    @Nullable Integer n;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "PATH",
        description = "The file to write, or a directory to write into.")
    @Nullable Path output;

    @Option(names = "--force", description = "Replace a file that exists.")
    boolean force;

    @Override
    ExitCode run(MailroomClient client, Output out) throws IOException {
      MessageView m = client.messages().get(id);
      List<AttachmentView> chosen;
      if (n == null) {
        chosen = m.attachments();
      } else if (n >= 0 && n < m.attachments().size()) {
        chosen = List.of(m.attachments().get(n));
      } else {
        chosen = List.of();
      }
      if (chosen.isEmpty()) {
        terminal()
            .err()
            .println(
                "mailroom: "
                    + id
                    + (n == null ? " has no attachments" : " has no attachment " + n)
                    + " ("
                    + m.attachments().size()
                    + " in all)");
        return ExitCode.NOT_FOUND;
      }
      for (AttachmentView a : chosen) {
        Path target = target(a, chosen.size());
        if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          throw new IllegalArgumentException(target + " exists; add --force to replace it");
        }
      }
      for (AttachmentView a : chosen) {
        Path target = target(a, chosen.size());
        try (TransferBar bar = new TransferBar(terminal(), "downloading " + a.name())) {
          client.attachments().download(m, a.n(), target, bar);
        }
        Map<String, Object> saved = new LinkedHashMap<>();
        saved.put("message_id", m.id());
        saved.put("attachment", a);
        saved.put("path", target.toString());
        out.either(
            saved,
            "saved " + target + " (" + Formats.bytes(a.size()) + ", sha256 " + a.sha256() + ")");
      }
      return ExitCode.OK;
    }

    /** Where an attachment goes: {@code -o PATH}, or its name in {@code -o DIR} or here. */
    private Path target(AttachmentView a, int count) {
      if (output != null && !Files.isDirectory(output)) {
        if (count > 1) {
          throw new IllegalArgumentException(
              "-o " + output + " is not a directory, and there are " + count + " attachments");
        }
        return output;
      }
      Path dir = (output != null ? output : Path.of("")).toAbsolutePath().normalize();
      return FileNames.inside(dir, a.name())
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "attachment "
                          + a.n()
                          + " is named \""
                          + SafeText.of(a.name())
                          + "\", which is not a plain file name; give -o PATH"));
    }
  }
}
