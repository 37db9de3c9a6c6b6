package dev.mailroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.client.Draft;
import dev.mailroom.client.MailroomClient;
import dev.mailroom.client.TestServer;
import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code agents list}, {@code roles list} and {@code read --readers} print a page and say how to go
 * on, or every page with {@code --all}, as the other listings do.
 */
class PagedListsCommandsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final Cli admin = Cli.as(server, TestServer.ADMIN_TOKEN);

  private static String cursorOf(Cli.Result page) {
    assertThat(page.err()).as("%s", page).contains("more: --cursor ");
    return page.err().substring(page.err().indexOf("--cursor ") + 9).strip();
  }

  @Test
  void agentsListShowsAPageAndSaysHowToGoOnOrEveryPageWithAll() {
    // Ids that sort before every other agent's, so they are the first page.
    for (int i = 0; i < 3; i++) {
      assertThat(admin.run("agents", "create", "00-listed-" + i).exit()).isZero();
    }

    Cli.Result page = admin.run("agents", "list", "--limit", "2");
    assertThat(page.exit()).as("%s", page).isZero();
    assertThat(page.out())
        .contains("00-listed-0")
        .contains("00-listed-1")
        .doesNotContain("00-listed-2");
    Cli.Result next = admin.run("agents", "list", "--limit", "2", "--cursor", cursorOf(page));
    assertThat(next.out()).contains("00-listed-2").doesNotContain("00-listed-0");
    Cli.Result all = admin.run("agents", "list", "--limit", "2", "--all");
    assertThat(all.out()).contains("00-listed-0").contains("00-listed-2");
    assertThat(all.err()).doesNotContain("more:");
    Cli.Result json = admin.run("agents", "list", "--limit", "1", "--json");
    assertThat(Json.mapper().readTree(json.out()).get("next_cursor").asString()).isNotBlank();
  }

  @Test
  void rolesListShowsAPageCountsTheMembersItDoesNotNameAndAllShowsEveryPage() {
    assertThat(admin.run("roles", "create", "crowd").exit()).isZero();
    assertThat(admin.run("roles", "create", "quiet").exit()).isZero();
    for (int i = 0; i < 103; i++) {
      server.newAgent("in-crowd", List.of("crowd"));
    }

    Cli.Result page = admin.run("roles", "list", "--limit", "3");
    assertThat(page.exit()).as("%s", page).isZero();
    assertThat(page.out()).contains("admin").contains("observer").doesNotContain("crowd");
    Cli.Result next = admin.run("roles", "list", "--limit", "1", "--cursor", cursorOf(page));
    assertThat(next.out()).contains("crowd").contains("(+3 more)").doesNotContain("quiet");
    Cli.Result all = admin.run("roles", "list", "--limit", "2", "--all", "--json");
    List<String> names =
        all.out().lines().map(l -> Json.mapper().readTree(l).get("name").asString()).toList();
    assertThat(names).containsExactly("admin", "agent", "observer", "crowd", "quiet");
  }

  @Test
  void readersShowAPageAndSayHowToGoOnOrEveryReaderWithAll() {
    AgentCreated sender = server.newAgent("sender");
    String box = "desk-" + sender.id();
    String id;
    try (MailroomClient client = server.client(sender)) {
      id = client.messages().send(Draft.direct(box).text("who reads this?")).id();
    }
    for (int i = 0; i < 3; i++) {
      try (MailroomClient reader = server.client(server.newAgent("reader"))) {
        reader.messages().markRead(id);
      }
    }
    Cli asSender = Cli.as(server, sender.token());

    Cli.Result page = asSender.run("read", "--readers", "--limit", "2", id);
    assertThat(page.exit()).as("%s", page).isZero();
    assertThat(page.out().lines().filter(l -> l.startsWith(id))).hasSize(2);
    Cli.Result next =
        asSender.run("read", "--readers", "--limit", "2", "--cursor", cursorOf(page), id);
    assertThat(next.out().lines().filter(l -> l.startsWith(id))).hasSize(1);
    assertThat(next.err()).doesNotContain("more:");
    Cli.Result all = asSender.run("read", "--readers", "--limit", "2", "--all", "--json", id);
    JsonNode list = Json.mapper().readTree(all.out());
    assertThat(list.get("readers")).hasSize(3);
    assertThat(list.get("next_cursor").isNull()).isTrue();

    assertThat(asSender.run("read", "--limit", "2", id).exit()).isEqualTo(ExitCode.USAGE.code());
    assertThat(asSender.run("read", "--readers", "--cursor", "c", id, id).exit())
        .isEqualTo(ExitCode.USAGE.code());
  }
}
