package dev.mailroom.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docs/deploy's Compose file and Kubernetes manifests, which cannot be run here: each parses as
 * YAML, and they say what docs/OPERATIONS.md says about deployment (probes, replicas, the admin
 * token from a secret, a non-root user, Redis shared by two nodes).
 */
class DeploymentManifestsIT {
  private static final Path DEPLOY = Path.of(System.getProperty("dist.deploy"));
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void composeRunsTwoNodesOnOneRedis() throws IOException {
    JsonNode services = read(DEPLOY.resolve("compose.yaml")).get("services");
    assertThat(services.has("redis")).isTrue();
    List<String> nodes = new ArrayList<>();
    services
        .propertyNames()
        .forEach(
            name -> {
              if (name.startsWith("mailroom")) {
                nodes.add(name);
              }
            });
    assertThat(nodes).hasSize(2);
    List<String> ports = new ArrayList<>();
    for (String name : nodes) {
      JsonNode node = services.get(name);
      assertThat(node.get("image").asString()).startsWith("mailroom:");
      assertThat(strings(node.get("command")))
          .containsSequence("--redis-url", "redis://redis:6379");
      assertThat(node.get("environment").get("MAILROOM_ADMIN_TOKEN").asString())
          .startsWith("${MAILROOM_ADMIN_TOKEN");
      assertThat(node.get("depends_on").has("redis")).isTrue();
      ports.addAll(strings(node.get("ports")));
    }
    assertThat(ports).doesNotHaveDuplicates().allMatch(p -> p.endsWith(":8080"));
  }

  @Test
  void kubernetesDeploymentProbesSecretAndBudget() throws IOException {
    Map<String, JsonNode> byKind = new HashMap<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode doc = read(file);
        assertThat(doc.get("kind")).as("kind of %s", file).isNotNull();
        byKind.put(doc.get("kind").asString(), doc);
      }
    }
    assertThat(byKind)
        .containsKeys("Deployment", "Service", "PodDisruptionBudget", "Secret", "Kustomization");

    JsonNode deployment = byKind.get("Deployment");
    assertThat(deployment.get("spec").get("replicas").asInt()).isEqualTo(2);
    JsonNode pod = deployment.get("spec").get("template").get("spec");
    assertThat(pod.get("securityContext").get("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.get("securityContext").get("runAsUser").asInt()).isNotZero();
    JsonNode container = pod.get("containers").get(0);
    assertThat(container.get("livenessProbe").get("httpGet").get("path").asString())
        .isEqualTo("/health/live");
    assertThat(container.get("readinessProbe").get("httpGet").get("path").asString())
        .isEqualTo("/health/ready");
    assertThat(strings(container.get("args"))).contains("--redis-url");

    JsonNode tokenRef = null;
    for (JsonNode env : container.get("env")) {
      if (env.get("name").asString().equals("MAILROOM_ADMIN_TOKEN")) {
        tokenRef = env.get("valueFrom").get("secretKeyRef");
      }
    }
    assertThat(tokenRef).as("MAILROOM_ADMIN_TOKEN from a secret").isNotNull();
    JsonNode secret = byKind.get("Secret");
    assertThat(tokenRef.get("name").asString())
        .isEqualTo(secret.get("metadata").get("name").asString());
    assertThat(secret.get("stringData").has(tokenRef.get("key").asString())).isTrue();

    JsonNode labels = deployment.get("spec").get("template").get("metadata").get("labels");
    assertThat(byKind.get("Service").get("spec").get("selector")).isEqualTo(labels);
    assertThat(byKind.get("PodDisruptionBudget").get("spec").get("selector").get("matchLabels"))
        .isEqualTo(labels);
    assertThat(strings(byKind.get("Kustomization").get("resources")))
        .containsExactlyInAnyOrder("secret.yaml", "deployment.yaml", "service.yaml", "pdb.yaml");
  }

  private static JsonNode read(Path file) throws IOException {
    JsonNode doc = YAML.readTree(Files.readString(file));
    assertThat(doc.isObject()).as("%s is a YAML mapping", file).isTrue();
    return doc;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asString()));
    return values;
  }
}
