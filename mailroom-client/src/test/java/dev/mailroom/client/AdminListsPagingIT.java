package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentList;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.ReaderList;
import dev.mailroom.protocol.RoleList;
import dev.mailroom.protocol.RoleView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agents, roles and a message's readers come a page at a time; the methods that answer every one
 * walk the pages, so they answer more than a page (50) holds.
 */
class AdminListsPagingIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final MailroomClient admin = server.admin();

  @Test
  void agentsArePagedAndListWalksEveryPage() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      created.add(server.newAgent("listed").id());
    }

    AgentList first = admin.agents().list(PageRequest.of(25));
    assertThat(first.agents()).hasSize(25);
    assertThat(first.nextCursor()).isPresent();
    AgentList second = admin.agents().list(PageRequest.of(25).withCursor(first.nextCursor().get()));
    assertThat(second.agents().getFirst().id()).isGreaterThan(first.agents().getLast().id());
    List<AgentList> pages = new ArrayList<>();
    admin.agents().pages(PageRequest.of(25)).forEachRemaining(pages::add);
    assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
    List<String> all = admin.agents().all().map(AgentView::id).toList();
    assertThat(all).isSorted().doesNotHaveDuplicates().containsAll(created);
    AgentList list = admin.agents().list();
    assertThat(list.agents()).extracting(AgentView::id).isEqualTo(all);
    assertThat(list.nextCursor()).isEmpty();
  }

  @Test
  void rolesArePagedAndListWalksEveryPage() {
    for (int i = 0; i < 55; i++) {
      admin.roles().create(String.format("paged-%02d", i), "role " + i);
    }

    RoleList first = admin.roles().list(PageRequest.of(10));
    assertThat(first.roles()).extracting(RoleView::name).startsWith("admin", "agent", "observer");
    assertThat(first.roles()).hasSize(10);
    assertThat(first.nextCursor()).isPresent();
    RoleList list = admin.roles().list();
    assertThat(list.roles()).hasSizeGreaterThanOrEqualTo(58);
    assertThat(list.roles())
        .extracting(RoleView::name)
        .contains("paged-00", "paged-54")
        .doesNotHaveDuplicates();
    assertThat(list.nextCursor()).isEmpty();
    assertThat(admin.roles().all().map(RoleView::name))
        .isEqualTo(list.roles().stream().map(RoleView::name).toList());
  }

  @Test
  void readersArePagedAndReadersWalksEveryPage() {
    AgentCreated sender = server.newAgent("sender");
    String id =
        server.client(sender).messages().send(Draft.direct("desk-" + sender.id()).text("hi")).id();
    List<String> readers = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      AgentCreated reader = server.newAgent("reader");
      server.client(reader).messages().markRead(id);
      readers.add(reader.id());
    }
    Messages messages = server.client(sender).messages();

    ReaderList first = messages.readers(id, PageRequest.of(20));
    assertThat(first.readers()).hasSize(20);
    assertThat(first.nextCursor()).isPresent();
    List<ReaderList> pages = new ArrayList<>();
    messages.readersPages(id, PageRequest.of(20)).forEachRemaining(pages::add);
    assertThat(pages).hasSize(3);
    ReaderList all = messages.readers(id);
    assertThat(all.readers())
        .extracting(ReaderList.Reader::agentId)
        .containsExactlyInAnyOrderElementsOf(readers);
    assertThat(all.nextCursor()).isEmpty();
    assertThat(messages.readersAll(id)).isEqualTo(all.readers());
  }
}
