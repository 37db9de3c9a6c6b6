package dev.mailroom.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.protocol.AgentCreated;
import dev.mailroom.protocol.AgentView;
import dev.mailroom.protocol.EnrollRequest;
import dev.mailroom.protocol.EnrollmentCreated;
import dev.mailroom.protocol.EnrollmentRequest;
import dev.mailroom.protocol.EnrollmentView;
import dev.mailroom.protocol.ProfileRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The directory, profiles, retirement, deletion and enrollment through the SDK. */
class DirectoryIT {
  @RegisterExtension static final TestServer server = new TestServer();

  private final MailroomClient admin = server.admin();

  @Test
  void anAgentEditsItsProfileAndPeersFindIt() {
    AgentCreated alice = server.newAgent("sdk-alice");
    AgentCreated bob = server.newAgent("sdk-bob");
    MailroomClient asAlice = server.client(alice);

    AgentView edited =
        asAlice
            .agents()
            .updateProfile(
                alice.id(),
                new ProfileRequest(
                    Optional.of("Alice"),
                    Optional.of("Reviews code"),
                    Optional.of("claude-code"),
                    Optional.empty(),
                    List.of("review")));
    assertThat(edited.displayName()).contains("Alice");

    MailroomClient asBob = server.client(bob);
    AgentView seen = asBob.agents().get(alice.id());
    assertThat(seen.description()).contains("Reviews code");
    assertThat(seen.tags()).containsExactly("review");
    assertThat(seen.roles()).isEmpty(); // roles are for admins and the agent itself
    assertThat(asBob.agents().all(AgentFilter.ALL.withTag("review")))
        .extracting(AgentView::id)
        .containsExactly(alice.id());
    assertThat(asBob.agents().all(AgentFilter.ALL.withPrefix("ALIC")))
        .extracting(AgentView::id)
        .containsExactly(alice.id());
  }

  @Test
  void aRetiredAgentIsShownRetiredAndItsTokenFails() {
    AgentCreated carol = server.newAgent("sdk-carol");
    AgentView retired = admin.agents().retire(carol.id());
    assertThat(retired.retired()).isTrue();
    assertThatThrownBy(() -> server.client(carol).agents().whoami())
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.UNAUTHENTICATED));
    assertThat(admin.agents().all(AgentFilter.ALL.withRetired(true)))
        .extracting(AgentView::id)
        .contains(carol.id());
  }

  @Test
  void aDeletedAgentIsGoneAndItsTokenFails() {
    AgentCreated dave = server.newAgent("sdk-dave");

    admin.agents().delete(dave.id());

    assertThatThrownBy(() -> server.client(dave).agents().whoami())
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.UNAUTHENTICATED));
    assertThat(admin.agents().all(AgentFilter.ALL))
        .extracting(AgentView::id)
        .doesNotContain(dave.id());
    assertThatThrownBy(() -> admin.agents().delete(dave.id()))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> admin.agents().delete(admin.agents().whoami().id()))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.CONFLICT));
  }

  @Test
  void anEnrollmentSecretRegistersAgentsUntilItsUsesAreGone() {
    EnrollmentCreated issued =
        admin
            .enrollments()
            .create(new EnrollmentRequest(Optional.empty(), 1, 600, Optional.of("sub-")));
    assertThat(issued.token()).startsWith("mre_");
    assertThat(issued.toString()).doesNotContain(issued.token());
    MailroomClient enroller = server.client(issued.token());

    AgentCreated worker =
        enroller.agents().enroll(EnrollRequest.of("sub-1", ProfileRequest.empty()));
    assertThat(worker.roles()).containsExactly("agent");
    assertThat(server.client(worker).agents().whoami().id()).isEqualTo("sub-1");
    assertThatThrownBy(
            () -> enroller.agents().enroll(EnrollRequest.of("sub-2", ProfileRequest.empty())))
        .isInstanceOfSatisfying(
            MailroomClientException.class,
            e -> assertThat(e.kind()).isEqualTo(MailroomClientException.Kind.UNAUTHENTICATED));

    EnrollmentView listed =
        admin.enrollments().list().enrollments().stream()
            .filter(e -> e.id().equals(issued.enrollment().id()))
            .findFirst()
            .orElseThrow();
    assertThat(listed.remaining()).isZero();
    admin.enrollments().revoke(listed.id());
    assertThat(admin.enrollments().list().enrollments())
        .extracting(EnrollmentView::id)
        .doesNotContain(listed.id());
  }
}
