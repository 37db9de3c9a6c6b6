package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.SubscriptionList;
import dev.mailroom.protocol.SubscriptionView;
import dev.mailroom.protocol.TopicTree;
import dev.mailroom.protocol.TopicView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SDK's subscription and topic methods against a real server. */
class SubscriptionsAndTopicsIT {
  @RegisterExtension static final TestServer server = new TestServer();

  @Test
  void aSubscriptionIsCreatedWithItsSettingsListedInspectedAndDeleted() {
    MailroomClient agent = server.client(server.newAgent("subscriber"));
    SubscriptionView created =
        agent
            .subscriptions()
            .create(
                "ai.models.*",
                SubscriptionSettings.builder()
                    .mode(DeliveryMode.BATCH)
                    .batchSize(20)
                    .batchWindow(Duration.ofMillis(2500))
                    .minPriority(Priority.HIGH)
                    .tag("review")
                    .sender("someone")
                    .contentType(Draft.JSON)
                    .maxQueueSize(100)
                    .autoAck(true)
                    .build());
    assertThat(created.id()).startsWith("sub_");
    assertThat(created.pattern()).isEqualTo("ai.models.*");
    assertThat(created.deliveryMode()).isEqualTo("batch");
    assertThat(created.batchSize()).isEqualTo(20);
    assertThat(created.batchWindowSeconds()).isEqualTo(2.5);
    assertThat(created.filter().minPriority()).contains("high");
    assertThat(created.filter().tags()).containsExactly("review");
    assertThat(created.filter().sender()).contains("someone");
    assertThat(created.filter().contentType()).contains(Draft.JSON);
    assertThat(created.maxQueueSize()).isEqualTo(100);
    assertThat(created.autoAck()).isTrue();

    SubscriptionView plain = agent.subscriptions().create("news");
    assertThat(plain.deliveryMode()).isEqualTo("realtime");
    assertThat(agent.subscriptions().list().subscriptions())
        .extracting(SubscriptionView::id)
        .containsExactlyInAnyOrder(created.id(), plain.id());
    assertThat(agent.subscriptions().get(created.id()).queued()).isZero();

    agent.subscriptions().delete(created.id());
    assertThat(agent.subscriptions().list().subscriptions())
        .extracting(SubscriptionView::id)
        .containsExactly(plain.id());
  }

  @Test
  void topicsAreCreatedConfiguredListedAsATreeInspectedAndDeleted() {
    MailroomClient agent = server.client(server.newAgent("topical"));
    MailroomClient admin = server.admin();
    String root = "t" + System.nanoTime();

    TopicView parent =
        admin
            .topics()
            .configure(
                root,
                TopicSettings.builder()
                    .retention(Duration.ofDays(1))
                    .maxSubscribers(50)
                    .cleanupAfter(Duration.ofDays(30))
                    .build());
    assertThat(parent.config().retentionSeconds()).contains(86400L);

    TopicView child =
        agent
            .topics()
            .create(root + ".models", TopicSettings.builder().description("models").build());
    assertThat(child.config().description()).contains("models");
    assertThat(child.settings().retentionSeconds()).isEqualTo(86400);
    assertThat(child.settings().maxSubscribers()).isEqualTo(50);
    assertThat(agent.topics().get(root + ".models").stats().messages()).isZero();

    TopicTree.Node node =
        agent.topics().list().topics().stream()
            .filter(n -> n.name().equals(root))
            .findFirst()
            .orElseThrow();
    assertThat(node.topic()).isPresent();
    assertThat(node.children())
        .singleElement()
        .satisfies(n -> assertThat(n.segment()).isEqualTo("models"));

    assertThatThrownBy(() -> agent.topics().delete(root + ".models"))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.FORBIDDEN));
    admin.topics().delete(root + ".models");
    assertThatThrownBy(() -> agent.topics().get(root + ".models"))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.NOT_FOUND));
    admin.topics().configure(root, TopicSettings.inheritAll());
    assertThat(admin.topics().get(root).config().retentionSeconds()).isEmpty();
  }

  @Test
  void joiningSubscribesToTheExactNameOnceAndLeavingRemovesIt() {
    MailroomClient agent = server.client(server.newAgent("joiner"));
    String topic = "join.t" + System.nanoTime();
    SubscriptionView joined =
        agent
            .topics()
            .join(topic, SubscriptionSettings.builder().mode(DeliveryMode.POLLING).build());
    assertThat(joined.pattern()).isEqualTo(topic);
    assertThat(joined.deliveryMode()).isEqualTo("polling");
    assertThat(agent.topics().join(topic).id()).isEqualTo(joined.id());

    agent.topics().leave(topic);
    assertThat(agent.subscriptions().list().subscriptions()).isEmpty();
    assertThatThrownBy(() -> agent.topics().leave(topic))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.NOT_FOUND));
  }

  @Test
  void subscriptionsArePagedAndListWalksEveryPage() {
    MailroomClient agent = server.client(server.newAgent("many-subs"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(agent.subscriptions().create("paged.s" + i).id());
    }
    List<String> byId = ids.stream().sorted().toList();

    SubscriptionList first = agent.subscriptions().list(PageRequest.of(25));
    assertThat(first.subscriptions()).hasSize(25);
    assertThat(first.nextCursor()).isPresent();
    SubscriptionList second =
        agent.subscriptions().list(PageRequest.of(25).withCursor(first.nextCursor().get()));
    assertThat(second.subscriptions().getFirst().id()).isEqualTo(byId.get(25));
    List<SubscriptionList> pages = new ArrayList<>();
    agent.subscriptions().pages(PageRequest.of(25)).forEachRemaining(pages::add);
    assertThat(pages).hasSize(3);
    assertThat(agent.subscriptions().all().map(SubscriptionView::id)).isEqualTo(byId);
    SubscriptionList all = agent.subscriptions().list();
    assertThat(all.subscriptions()).extracting(SubscriptionView::id).isEqualTo(byId);
    assertThat(all.nextCursor()).isEmpty();
  }

  @Test
  void topicsArePagedAndListMergesEveryPageIntoOneTree() {
    MailroomClient agent = server.client(server.newAgent("many-topics"));
    String root = "paged" + System.nanoTime();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String name = root + "." + (char) ('a' + i % 3) + ".t" + i;
      agent.topics().create(name, TopicSettings.inheritAll());
      names.add(name);
    }
    List<String> byName = names.stream().sorted().toList();

    TopicTree page = agent.topics().list(root + ".b.", PageRequest.of(5));
    assertThat(page.nextCursor()).isPresent();
    assertThat(agent.topics().all(root + ".b.").map(TopicView::name))
        .isEqualTo(byName.stream().filter(n -> n.startsWith(root + ".b.")).toList());
    assertThat(agent.topics().all(root).map(TopicView::name)).isEqualTo(byName);

    TopicTree tree = agent.topics().list();
    assertThat(tree.nextCursor()).isEmpty();
    TopicTree.Node top =
        tree.topics().stream().filter(n -> n.name().equals(root)).findFirst().orElseThrow();
    assertThat(top.children()).extracting(TopicTree.Node::segment).containsExactly("a", "b", "c");
    assertThat(top.children()).allSatisfy(branch -> assertThat(branch.children()).hasSize(20));
  }
}
