package dev.mailroom.mcp;

import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.Reservations;
import dev.mailroom.protocol.ReservationView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** reserve_files, release_files and list_reservations. */
final class ReservationTools {
  /** Reservations one list_reservations result shows. */
  static final int MAX_LISTED = 200;

  private ReservationTools() {}

  static List<Tool> all() {
    return List.of(reserveFiles(), releaseFiles(), listReservations());
  }

  static Tool reserveFiles() {
    return Tool.of(
        "reserve_files",
        "Reserve files before editing them",
        "Before you edit files that other agents may be editing too, reserve them: other agents"
            + " then see who holds them and why, and their git pre-commit hook refuses commits"
            + " touching files you hold exclusively. Name the project (the same name every agent"
            + " uses, e.g. the repository's) and paths relative to its root; globs work (* and ?"
            + " within a directory name, ** for any depth: src/**/*.java). The reservation lasts"
            + " ttl_seconds (default 3600, at most 86400) unless you release it earlier, which you"
            + " should do as soon as you are done. If reserved is false, other agents hold"
            + " overlapping paths: the result lists who, what and until when. Do not edit those"
            + " files then: work on something else, message the holder to ask when they will be"
            + " done, or wait until their reservation expires and try again.",
        Tool.Effect.WRITES,
        Schema.object()
            .string("project", "The project's name, as every agent working on it names it.")
            .strings("paths", "Paths or globs relative to the project's root.", 64)
            .bool(
                "exclusive",
                "true (the default): nobody else may hold these paths. false: a shared hold, which"
                    + " others may share but nobody may hold exclusively (e.g. while you read).")
            .integer("ttl_seconds", "How long to hold them (default 3600).", 1, 86_400)
            .string("reason", "What you are doing, for the agents you block (at most 500 chars).")
            .required("project", "paths"),
        ReservationTools::reserve);
  }

  private static String reserve(MailroomClient client, Args args) {
    List<String> paths = args.strings("paths");
    if (paths.isEmpty()) {
      throw new Args.BadArgument("paths", "must name at least one path or glob");
    }
    Reservations.Outcome outcome =
        client
            .reservations()
            .reserve(
                args.requiredString("project"),
                paths,
                args.bool("exclusive").orElse(true),
                args.integer("ttl_seconds", 1, 86_400).map(s -> Duration.ofSeconds(s)),
                args.string("reason"));
    ObjectNode result = Rendering.object();
    switch (outcome) {
      case Reservations.Outcome.Granted g -> {
        result.put("reserved", true);
        result.set("reservation", view(g.reservation()));
        result
            .putArray("notes")
            .add(
                "release_files with this reservation_id when you are done; reserve again before"
                    + " it expires if you need longer");
      }
      case Reservations.Outcome.Refused r -> {
        result.put("reserved", false);
        ArrayNode held = result.putArray("conflicts");
        r.conflicts().forEach(c -> held.add(view(c)));
        result
            .putArray("notes")
            .add(
                "other agents hold overlapping paths: do not edit them; ask the holder (send_message"
                    + " to it), work on other files, or try again after expires_at");
      }
    }
    return Rendering.json(result);
  }

  static Tool releaseFiles() {
    return Tool.of(
        "release_files",
        "Release reserved files",
        "Release reservations you hold, so other agents may reserve and commit those files:"
            + " give the reservation_id that reserve_files answered, or a project to release all"
            + " of yours in it.",
        Tool.Effect.REMOVES,
        Schema.object()
            .string("reservation_id", "The id reserve_files answered.")
            .string("project", "Release every reservation of yours in this project."),
        ReservationTools::release);
  }

  private static String release(MailroomClient client, Args args) {
    args.requireOneOf("reservation_id", "project");
    List<String> released = new ArrayList<>();
    Optional<String> id = args.string("reservation_id");
    if (id.isPresent()) {
      client.reservations().release(id.get());
      released.add(id.get());
    } else {
      String me = client.agents().whoami().id();
      List<ReservationView> mine =
          client
              .reservations()
              .all(Optional.of(args.requiredString("project")), Optional.of(me))
              .toList();
      for (ReservationView r : mine) {
        client.reservations().release(r.id());
        released.add(r.id());
      }
    }
    ObjectNode result = Rendering.object();
    ArrayNode a = result.putArray("released");
    released.forEach(a::add);
    return Rendering.json(result);
  }

  static Tool listReservations() {
    return Tool.of(
        "list_reservations",
        "List reservations",
        "List the live reservations: who holds which paths of which project, exclusively or"
            + " shared, why and until when. Check it before editing shared files.",
        Tool.Effect.READS,
        Schema.object()
            .string("project", "Only this project's.")
            .string("agent", "Only this agent's (your own id for yours)."),
        (client, args) -> {
          List<ReservationView> shown =
              client
                  .reservations()
                  .all(args.string("project"), args.string("agent"))
                  .limit(MAX_LISTED + 1)
                  .toList();
          ObjectNode result = Rendering.object();
          ArrayNode a = result.putArray("reservations");
          shown.stream().limit(MAX_LISTED).forEach(r -> a.add(view(r)));
          if (shown.size() > MAX_LISTED) {
            result
                .putArray("notes")
                .add("more reservations exist: narrow the list with project or agent");
          }
          return Rendering.json(result);
        });
  }

  private static ObjectNode view(ReservationView r) {
    ObjectNode n = Rendering.object();
    n.put("reservation_id", r.id());
    n.put("project", r.project());
    n.put("holder", r.holder());
    ArrayNode paths = n.putArray("paths");
    r.paths().forEach(paths::add);
    n.put("exclusive", r.exclusive());
    n.put("reason", r.reason());
    n.put("expires_at", r.expiresAt().toString());
    return n;
  }
}
