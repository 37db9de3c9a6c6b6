package dev.mailroom.server.api;

import static dev.mailroom.server.api.Problems.assertInvalid;
import static dev.mailroom.server.api.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/agents} refuses ids outside the name rules and creates nothing for them. */
class AgentValidationIT {
  @RegisterExtension static final MailroomApi api = new MailroomApi();

  @ParameterizedTest(name = "id \"{0}\"")
  @ValueSource(strings = {"", "bad id", "dot.ted", "sl/ash", "ünïcode", "semi;colon", "65"})
  void anInvalidAgentIdIsRefused(String id) {
    String agentId = id.equals("65") ? "a".repeat(65) : id;

    assertInvalid(
        api.admin().post("/v1/agents", "{\"id\":" + quote(agentId) + ",\"roles\":[\"agent\"]}"),
        "id");
  }

  @Test
  void aMissingIdIsRefused() {
    assertInvalid(api.admin().post("/v1/agents", "{\"roles\":[\"agent\"]}"), "id");
  }

  @Test
  void malformedJsonIsRefused() {
    assertProblem(api.admin().post("/v1/agents", "{\"id\":"), 400);
  }

  @Test
  void theLongestAgentIdIsAccepted() {
    String id = "A_z-9".repeat(12) + "abcd";
    Response r = api.admin().post("/v1/agents", "{\"id\":\"" + id + "\",\"roles\":[\"agent\"]}");

    assertThat(r.status()).as("%s", r).isEqualTo(201);
    assertThat(Json.text(r.json(), "id")).isEqualTo(id).hasSize(64);
  }

  @Test
  void aRefusedIdIsNotTaken() {
    String tooLong = "b".repeat(65);
    api.admin().post("/v1/agents", "{\"id\":\"" + tooLong + "\",\"roles\":[\"agent\"]}");

    Response r =
        api.admin().post("/v1/agents", "{\"id\":\"" + "b".repeat(64) + "\",\"roles\":[\"agent\"]}");
    assertThat(r.status()).as("%s", r).isEqualTo(201);
  }

  @Test
  void replacingRolesWithNullIsRefusedAndKeepsTheAgentsRoles() {
    Agent agent = api.newAgent("keeper");

    assertInvalid(
        api.admin().request("PUT", "/v1/agents/" + agent.id() + "/roles", "{\"roles\":null}"),
        "roles");

    Response after = api.admin().get("/v1/agents/" + agent.id());
    assertThat(Json.array(after.json(), "roles")).extracting(JsonNode::asString).contains("agent");
  }

  private static String quote(String s) {
    return Json.write(s);
  }
}
