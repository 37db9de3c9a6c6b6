package dev.mailroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The agent, role and reader lists are pages: they write {@code next_cursor} always (null on the
 * last page), and read the answers of servers that sent every item at once as a last page.
 */
class PagedListsTest {

  @Test
  void aPageWritesItsNextCursorAndNullOnTheLastPage() {
    assertThat(Json.mapper().writeValueAsString(new AgentList(List.of(), Optional.of("c1"))))
        .isEqualTo("{\"agents\":[],\"next_cursor\":\"c1\"}");
    assertThat(Json.mapper().writeValueAsString(new ReaderList(List.of())))
        .isEqualTo("{\"readers\":[],\"next_cursor\":null}");
    assertThat(Json.mapper().writeValueAsString(new RoleList(List.of())))
        .isEqualTo("{\"roles\":[],\"next_cursor\":null}");
  }

  @Test
  void anAnswerWithoutNextCursorIsTheLastPage() {
    assertThat(Json.mapper().readValue("{\"agents\":[]}", AgentList.class).nextCursor()).isEmpty();
    assertThat(Json.mapper().readValue("{\"readers\":[]}", ReaderList.class).nextCursor())
        .isEmpty();
    assertThat(Json.mapper().readValue("{\"roles\":[]}", RoleList.class).nextCursor()).isEmpty();
  }

  @Test
  void aRoleSaysHowManyHoldItWhenItListsOnlySome() {
    RoleView role =
        Json.mapper()
            .readValue(
                "{\"name\":\"agent\",\"built_in\":true,\"description\":\"d\","
                    + "\"members\":[\"a\",\"b\"],\"member_count\":250}",
                RoleView.class);

    assertThat(role.memberCount()).isEqualTo(250);
    assertThat(role.moreMembers()).isEqualTo(248);
    assertThat(Json.mapper().writeValueAsString(role)).contains("\"member_count\":250");
  }

  @Test
  void aRoleWithoutMemberCountListedEveryMember() {
    RoleView role =
        Json.mapper()
            .readValue(
                "{\"name\":\"agent\",\"built_in\":true,\"description\":\"d\","
                    + "\"members\":[\"a\",\"b\"]}",
                RoleView.class);

    assertThat(role.memberCount()).isEqualTo(2);
    assertThat(role.moreMembers()).isZero();
  }
}
