package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** docker-compose.yml and its real-AWS override hang together: images, commands, ports, files, dependencies. */
class DockerComposeTest {

  /** The casefeed subcommands compose runs: every pipeline component once, plus the AWS stand-in. */
  private static final Set<String> COMPONENTS = Set.of("collector", "streams", "sink", "notifier");
  private static final String STAND_IN = "local-cloud";
  private static final Set<String> CONDITIONS = Set.of("service_started", "service_healthy", "service_completed_successfully");
  private static final Pattern PORT = Pattern.compile("(?:127\\.0\\.0\\.1:)?(\\d{1,5}):(\\d{1,5})");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

  private final JsonNode compose = Yamls.compose(RepoFiles.read(RepoFiles.file("docker-compose.yml")));
  private final JsonNode awsOverride = Yamls.compose(RepoFiles.read(RepoFiles.file("docker-compose.aws.yml")));
  private final JsonNode services = compose.get("services");

  @Test
  void everyServiceHasAnImageOrABuild() {
    assertThat(serviceNames()).contains("kafka", "schema-registry", "minio", "minio-init", STAND_IN).containsAll(COMPONENTS);
    for (String name : serviceNames()) {
      JsonNode service = services.get(name);
      assertThat(service.hasNonNull("image") || service.hasNonNull("build")).as("%s has an image or a build", name).isTrue();
    }
    assertThat(services.get("kafka").get("image").asText()).startsWith("apache/kafka:");
    assertThat(services.get("schema-registry").get("image").asText()).startsWith("confluentinc/cp-schema-registry:");
    assertThat(services.get("minio").get("image").asText()).startsWith("minio/minio:");
    assertThat(services.get("minio-init").get("image").asText()).startsWith("minio/mc:");
  }

  @Test
  void casefeedServicesRunTheImageOfTheDockerfileWithARealSubcommand() {
    Set<String> started = new TreeSet<>();
    for (String name : casefeedServices()) {
      JsonNode service = services.get(name);
      JsonNode build = service.get("build");
      assertThat(build.get("context").asText()).as("%s build context", name).isEqualTo(".");
      assertThat(RepoFiles.ROOT.resolve(build.get("dockerfile").asText())).as("%s Dockerfile", name).isRegularFile();
      List<String> command = strings(service.get("command"));
      assertThat(command).as("%s command", name).isNotEmpty();
      started.add(command.get(0));
      if (COMPONENTS.contains(command.get(0))) {
        assertThat(command).as("%s reads its config file", name).containsSubsequence("--config", "/etc/casefeed/" + command.get(0) + ".properties");
        // The components run what a deployment runs: the lean image, no broker, stand-in or benchmark inside.
        assertThat(build.get("target").asText()).as("%s build target", name).isEqualTo("runtime");
        assertThat(service.get("image").asText()).as("%s image", name).startsWith("casefeed:");
      } else {
        // The stand-in lives in the full jar only.
        assertThat(build.get("target").asText()).as("%s build target", name).isEqualTo("dev");
        assertThat(service.get("image").asText()).as("%s image", name).startsWith("casefeed-dev:");
      }
    }
    Set<String> expected = new TreeSet<>(COMPONENTS);
    expected.add(STAND_IN);
    assertThat(started).as("subcommands started").isEqualTo(expected);
    // Other containers reach it by name, so it listens beyond loopback inside its container.
    assertThat(strings(services.get(STAND_IN).get("command")))
        .containsExactly(STAND_IN, "--port", "4566", "--bind-address", "0.0.0.0", "--data-dir", "/var/lib/casefeed/local-cloud");
  }

  @Test
  void eachComponentHasTheMemoryTheSizingTableGivesIt() {
    Map<String, String> sized = Map.of("collector", "512m", "streams", "1g", "sink", "768m", "notifier", "768m");
    for (Map.Entry<String, String> component : sized.entrySet()) {
      assertThat(services.get(component.getKey()).path("mem_limit").asText()).as("%s mem_limit", component.getKey())
          .isEqualTo(component.getValue());
    }
    String guide = RepoFiles.read(RepoFiles.file("docs/deploy.md"));
    assertThat(guide).as("docs/deploy.md has the measured sizing table").contains("## Sizing", "bench cost");
  }

  @Test
  void mountedFilesExistAndConfigFilesAreTheOnesCommandsRead() {
    for (JsonNode file : List.of(compose, awsOverride)) {
      for (Iterator<Map.Entry<String, JsonNode>> it = file.get("services").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> service = it.next();
        for (String volume : strings(service.getValue().get("volumes"))) {
          String source = volume.split(":")[0];
          if (source.startsWith("./")) {
            assertThat(RepoFiles.ROOT.resolve(source)).as("%s mounts %s", service.getKey(), source).isRegularFile();
          } else {
            assertThat(compose.get("volumes").has(source)).as("%s uses declared volume %s", service.getKey(), source).isTrue();
          }
        }
      }
    }
    for (String component : COMPONENTS) {
      String target = "/etc/casefeed/" + component + ".properties";
      assertThat(strings(services.get(component).get("volumes"))).as("%s mounts its config", component).anyMatch(v -> v.split(":")[1].equals(target));
      assertThat(strings(awsOverride.get("services").get(component) == null ? null : awsOverride.get("services").get(component).get("volumes")))
          .as("%s: the AWS override mounts over the same config path, or keeps the local one", component)
          .allMatch(v -> !v.startsWith("./") || v.split(":")[1].equals(target));
    }
  }

  @Test
  void publishedPortsAreValidUniqueAndOnLoopback() {
    Set<Integer> hostPorts = new HashSet<>();
    for (String name : serviceNames()) {
      for (String port : strings(services.get(name).get("ports"))) {
        Matcher matcher = PORT.matcher(port);
        assertThat(matcher.matches()).as("%s port %s", name, port).isTrue();
        assertThat(port).as("%s publishes on the host's loopback only", name).startsWith("127.0.0.1:");
        int host = Integer.parseInt(matcher.group(1));
        assertThat(host).isBetween(1, 65535);
        assertThat(Integer.parseInt(matcher.group(2))).isBetween(1, 65535);
        assertThat(hostPorts.add(host)).as("host port %d published once", host).isTrue();
      }
    }
    assertThat(strings(services.get("streams").get("ports"))).as("the dashboard").contains("127.0.0.1:8080:8080");
    Properties streams = RepoFiles.properties(RepoFiles.file("deploy/compose/local/streams.properties"));
    assertThat(streams.getProperty("query.port")).as("the port the dashboard listens on").isEqualTo("8080");
    assertThat(streams.getProperty("query.bind.address")).as("reachable through the published port").isEqualTo("0.0.0.0");
    assertThat(strings(services.get(STAND_IN).get("ports"))).contains("127.0.0.1:4566:4566");
  }

  @Test
  void environmentIsWellFormed() {
    for (JsonNode file : List.of(compose, awsOverride)) {
      for (Iterator<Map.Entry<String, JsonNode>> it = file.get("services").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> service = it.next();
        JsonNode environment = service.getValue().get("environment");
        if (environment == null) {
          continue;
        }
        assertThat(environment.isObject()).as("%s environment is a map", service.getKey()).isTrue();
        environment.fields().forEachRemaining(variable -> {
          assertThat(variable.getKey()).as("%s variable name", service.getKey()).matches(ENV_NAME);
          assertThat(variable.getValue().isValueNode()).as("%s %s is a plain value", service.getKey(), variable.getKey()).isTrue();
        });
      }
    }
    assertThat(services.get("streams").get("environment").has("CASEFEED_QUERY_TOKEN"))
        .as("the dashboard is bound beyond loopback in the container, so it has a token").isTrue();
  }

  @Test
  void dependenciesNameExistingServicesAndWaitForHealthChecks() {
    for (String name : List.of("kafka", "schema-registry", "minio", STAND_IN, "streams")) {
      JsonNode test = services.get(name).path("healthcheck").path("test");
      assertThat(strings(test)).as("%s health check", name).hasSizeGreaterThan(1).first().isEqualTo("CMD");
    }
    List<JsonNode> dependencyMaps = new ArrayList<>();
    for (String name : serviceNames()) {
      if (services.get(name).has("depends_on")) {
        dependencyMaps.add(services.get(name).get("depends_on"));
      }
    }
    awsOverride.get("services").fields().forEachRemaining(service -> {
      assertThat(services.has(service.getKey())).as("override names existing service %s", service.getKey()).isTrue();
      if (service.getValue().has("depends_on")) {
        dependencyMaps.add(service.getValue().get("depends_on").path("!override"));
      }
    });
    for (JsonNode dependsOn : dependencyMaps) {
      assertThat(dependsOn.isObject()).as("depends_on with conditions: %s", dependsOn).isTrue();
      dependsOn.fields().forEachRemaining(dependency -> {
        String target = dependency.getKey();
        assertThat(services.has(target)).as("depends on existing service %s", target).isTrue();
        String condition = dependency.getValue().path("condition").asText();
        assertThat(condition).as("condition on %s", target).isIn(CONDITIONS);
        if (condition.equals("service_healthy")) {
          assertThat(services.get(target).has("healthcheck")).as("%s has the health check waited for", target).isTrue();
        }
      });
    }
    for (String component : COMPONENTS) {
      assertThat(services.get(component).get("depends_on").has("kafka")).as("%s waits for Kafka", component).isTrue();
      assertThat(services.get(component).get("depends_on").has("schema-registry")).as("%s waits for the registry", component).isTrue();
    }
    assertThat(services.get("sink").get("depends_on").path("minio-init").path("condition").asText()).isEqualTo("service_completed_successfully");
    assertThat(RepoFiles.read(RepoFiles.file("docker-compose.yml"))).contains("mc mb --ignore-existing local/casefeed");
  }

  @Test
  void theAwsOverrideDropsTheStandInsAndNoComponentWaitsForThem() {
    JsonNode overrides = awsOverride.get("services");
    for (String standIn : List.of(STAND_IN, "minio", "minio-init")) {
      assertThat(strings(overrides.get(standIn).get("profiles"))).as("%s only starts on request", standIn).isNotEmpty();
    }
    for (String component : List.of("collector", "sink", "notifier")) {
      JsonNode dependsOn = overrides.get(component).get("depends_on").get("!override");
      assertThat(dependsOn).as("%s's dependencies are replaced, not merged", component).isNotNull();
      assertThat(iterableToList(dependsOn.fieldNames())).as("%s depends only on Kafka and the registry", component)
          .containsExactlyInAnyOrder("kafka", "schema-registry");
      JsonNode environment = overrides.get(component).get("environment");
      assertThat(environment.has("AWS_REGION")).as("%s region", component).isTrue();
      for (String credential : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
        // A null value passes the shell's variable through when set and leaves it unset otherwise; an
        // empty string would hide the container role from the SDK's default credential chain.
        assertThat(environment.has(credential) && environment.get(credential).isNull()).as("%s passes %s through", component, credential).isTrue();
      }
    }
    assertThat(RepoFiles.properties(RepoFiles.file("deploy/compose/aws/collector.properties")).stringPropertyNames())
        .as("no endpoint override: the real AWS endpoints").noneMatch(key -> key.contains("endpoint"));
    assertThat(RepoFiles.properties(RepoFiles.file("deploy/compose/aws/sink.properties")).stringPropertyNames()).noneMatch(key -> key.contains("endpoint"));
    assertThat(RepoFiles.properties(RepoFiles.file("deploy/compose/aws/notifier.properties")).stringPropertyNames()).noneMatch(key -> key.contains("endpoint"));
  }

  @Test
  void localConfigsReachOnlyComposeServices() {
    Pattern url = Pattern.compile("https?://([a-z0-9.-]+):(\\d+)");
    for (Path config : RepoFiles.filesUnder(RepoFiles.DEPLOY.resolve("compose"), ".properties")) {
      Properties properties = RepoFiles.properties(config);
      String bootstrap = properties.getProperty("kafka.bootstrap.servers");
      assertThat(bootstrap).as("%s bootstrap", config).isEqualTo("kafka:9092");
      for (String key : properties.stringPropertyNames()) {
        Matcher matcher = url.matcher(properties.getProperty(key));
        while (matcher.find()) {
          assertThat(services.has(matcher.group(1))).as("%s %s names compose service %s", config.getFileName(), key, matcher.group(1)).isTrue();
        }
      }
      assertThat(properties.getProperty("topic.replication.factor")).as("%s: one broker", config).isEqualTo("1");
    }
  }

  @Test
  void theComposeCliAcceptsTheFilesWhereItIsInstalled() throws Exception {
    ComposeCli.Result base = ComposeCli.config(List.of("docker-compose.yml"), Map.of());
    // Reported as skipped, not passed, where no compose CLI exists: the parse checks above still ran.
    Assumptions.assumeTrue(base != null, "no compose CLI installed");
    assertThat(base.exitCode()).as("compose config of docker-compose.yml: %s", base.output()).isZero();
    if (ComposeCli.supportsMergeTags()) {
      Map<String, String> awsEnv = Map.of("CASEFEED_S3_BUCKET", "example-bucket", "CASEFEED_NOTIFIER_FROM", "casefeed@example.com",
          "CASEFEED_DIGEST_RECIPIENTS", "ops@example.com");
      ComposeCli.Result aws = ComposeCli.config(List.of("docker-compose.yml", "docker-compose.aws.yml"), awsEnv);
      assertThat(aws.exitCode()).as("compose config with the AWS override: %s", aws.output()).isZero();
    }
  }

  private List<String> serviceNames() {
    return iterableToList(services.fieldNames());
  }

  private List<String> casefeedServices() {
    return serviceNames().stream().filter(name -> services.get(name).has("build")).toList();
  }

  private static List<String> iterableToList(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }

  static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(value -> values.add(value.asText()));
    }
    return values;
  }
}
