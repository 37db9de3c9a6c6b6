package dev.mailroom.cli;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.MailroomClientException;
import dev.mailroom.protocol.Json;
import dev.mailroom.protocol.SendBatchRequest;
import dev.mailroom.protocol.SendResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mailroom send --jsonl PATH}: sends every non-blank line of a JSON Lines file as one
 * message, in order, in batches ({@code POST /v1/messages/batch}), counting on standard error as it
 * goes. Prints one line per message sent (its answer with {@code --json}), then a summary. A line
 * that is not a send body stops the run before anything of its batch is sent; a batch the server
 * refuses is named by the line at fault, and what was sent before it is said.
 */
final class JsonLinesSender {
  private static final Pattern ITEM = Pattern.compile("^messages\\[(\\d+)]");

  private final MailroomClient client;
  private final Output out;
  private final Terminal terminal;
  private long sent;
  private long duplicates;

  JsonLinesSender(MailroomClient client, Output out, Terminal terminal) {
    this.client = client;
    this.out = out;
    this.terminal = terminal;
  }

  /** Sends the lines of {@code source} ({@code -} for standard input). */
  ExitCode send(String source) throws IOException {
    try (BufferedReader in = open(source);
        Progress progress = new Progress(terminal, "sent")) {
      List<ObjectNode> batch = new ArrayList<>(SendBatchRequest.MAX_MESSAGES);
      List<Integer> lines = new ArrayList<>(SendBatchRequest.MAX_MESSAGES);
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        batch.add(parse(line, number));
        lines.add(number);
        if (batch.size() == SendBatchRequest.MAX_MESSAGES) {
          flush(batch, lines, progress);
        }
      }
      if (!batch.isEmpty()) {
        flush(batch, lines, progress);
      }
    }
    if (!out.json()) {
      out.line(
          "sent "
              + sent
              + (sent == 1 ? " message" : " messages")
              + (duplicates > 0 ? " (" + duplicates + " sent before with their keys)" : ""));
    }
    return ExitCode.OK;
  }

  private BufferedReader open(String source) throws IOException {
    return new BufferedReader(
        source.equals("-")
            ? new InputStreamReader(terminal.in(), StandardCharsets.UTF_8)
            : Files.newBufferedReader(Path.of(source), StandardCharsets.UTF_8));
  }

  /** The line as a JSON object; its fields are the server's to check. */
  private ObjectNode parse(String line, int number) {
    try {
      if (Json.mapper().readTree(line) instanceof ObjectNode message) {
        return message;
      }
    } catch (JacksonException e) {
      // not JSON: refused below, in plain words
    }
    throw new IllegalArgumentException(
        "line "
            + number
            + " is not a message (a JSON object as POST /v1/messages takes)"
            + nothingSentYet());
  }

  private void flush(List<ObjectNode> batch, List<Integer> lines, Progress progress) {
    List<SendResponse> answers;
    try {
      answers = client.messages().sendAllJson(batch);
    } catch (MailroomClientException e) {
      terminal.err().println("mailroom: " + culprit(e, lines) + nothingSentYet());
      throw e;
    }
    for (SendResponse answer : answers) {
      boolean duplicate = answer.duplicate().orElse(false);
      out.either(answer, answer.id() + (duplicate ? " [duplicate]" : ""));
      sent++;
      if (duplicate) {
        duplicates++;
      }
    }
    progress.advance(answers.size());
    batch.clear();
    lines.clear();
  }

  /** Which line the server refused, from the first field or detail naming {@code messages[i]}. */
  private static String culprit(MailroomClientException e, List<Integer> lines) {
    List<String> names = new ArrayList<>();
    e.fieldErrors().forEach(f -> names.add(f.field()));
    names.add(e.detail());
    for (String name : names) {
      Matcher m = ITEM.matcher(name);
      if (m.find()) {
        int index = Integer.parseInt(m.group(1));
        if (index < lines.size()) {
          return "line " + lines.get(index) + " was refused, and the lines of its batch with it";
        }
      }
    }
    return "the batch of lines " + lines.getFirst() + "-" + lines.getLast() + " was refused";
  }

  private String nothingSentYet() {
    return sent == 0
        ? "; nothing was sent"
        : "; the " + sent + (sent == 1 ? " message" : " messages") + " before it were sent";
  }
}
