package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example configurations for AWS (MSK, Confluent Cloud) and for compose are complete and keep secrets out. */
class ExampleConfigsTest {

  private static final Set<String> COMPONENTS = Set.of("collector", "streams", "sink", "notifier");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final String ENV_PROVIDER = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

  @Test
  void everyFlavourHasAFileForEveryComponent() {
    for (String flavour : List.of("config/msk-iam", "config/confluent-cloud", "compose/local", "compose/aws")) {
      List<String> names = RepoFiles.filesUnder(RepoFiles.DEPLOY.resolve(flavour), ".properties").stream()
          .map(p -> p.getFileName().toString().replace(".properties", "")).toList();
      assertThat(names).as(flavour).containsExactlyInAnyOrderElementsOf(COMPONENTS);
    }
  }

  @Test
  void everyFileHasTheSharedKafkaAndRegistryKeys() {
    for (Path file : allConfigs()) {
      Properties properties = RepoFiles.properties(file);
      assertThat(properties.getProperty("kafka.bootstrap.servers")).as("%s bootstrap", file).isNotBlank();
      assertThat(properties.getProperty("schema.registry.url")).as("%s registry", file).matches("https?://.+");
      assertThat(properties.getProperty("topic.replication.factor")).as("%s replication", file).matches("[13]");
      assertThat(properties.getProperty("topic.create")).as("%s topic.create", file).isIn("true", "false");
    }
  }

  @Test
  void productionExamplesReplicateThriceAndLeaveTopicCreationToTheAdministrator() {
    for (Path file : productionConfigs()) {
      Properties properties = RepoFiles.properties(file);
      assertThat(properties.getProperty("topic.replication.factor")).as(file.toString()).isEqualTo("3");
      assertThat(properties.getProperty("topic.create")).as(file.toString()).isEqualTo("false");
      assertThat(properties.getProperty("kafka.security.protocol")).as(file.toString()).isEqualTo("SASL_SSL");
      assertThat(properties.getProperty("schema.registry.url")).as(file.toString()).startsWith("https://");
      assertThat(properties.stringPropertyNames()).as("%s talks to AWS itself", file).noneMatch(key -> key.contains("endpoint"));
    }
  }

  @Test
  void mskExamplesUseIamAuthentication() {
    for (Path file : RepoFiles.filesUnder(RepoFiles.DEPLOY.resolve("config/msk-iam"), ".properties")) {
      Properties properties = RepoFiles.properties(file);
      assertThat(properties.getProperty("kafka.sasl.mechanism")).as(file.toString()).isEqualTo("AWS_MSK_IAM");
      assertThat(properties.getProperty("kafka.sasl.jaas.config")).isEqualTo("software.amazon.msk.auth.iam.IAMLoginModule required;");
      assertThat(properties.getProperty("kafka.sasl.client.callback.handler.class"))
          .isEqualTo("software.amazon.msk.auth.iam.IAMClientCallbackHandler");
      assertThat(properties.getProperty("kafka.bootstrap.servers").split(",")).allMatch(server -> server.endsWith(":9098"));
    }
  }

  @Test
  void confluentCloudExamplesTakeTheirKeysFromTheEnvironment() {
    for (Path file : RepoFiles.filesUnder(RepoFiles.DEPLOY.resolve("config/confluent-cloud"), ".properties")) {
      Properties properties = RepoFiles.properties(file);
      assertThat(properties.getProperty("kafka.sasl.mechanism")).as(file.toString()).isEqualTo("PLAIN");
      assertThat(properties.getProperty("kafka.sasl.jaas.config"))
          .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required ")
          .contains("username=\"${env:CONFLUENT_API_KEY}\"", "password=\"${env:CONFLUENT_API_SECRET}\"")
          .endsWith(";");
      assertThat(properties.getProperty("schema.registry.basic.auth.user.info")).matches("\\$\\{env:[A-Z_]+}:\\$\\{env:[A-Z_]+}");
    }
  }

  @Test
  void secretsAreNeverWrittenInProductionExamples() {
    for (Path file : productionConfigs()) {
      Properties properties = RepoFiles.properties(file);
      for (String key : properties.stringPropertyNames()) {
        String lower = key.toLowerCase(Locale.ROOT);
        String value = properties.getProperty(key);
        boolean secret = lower.contains("secret") || lower.contains("password") || lower.endsWith("user.info")
            || lower.contains("external.id") || lower.contains("token") || lower.endsWith("access.key.id");
        boolean holdsCredentials = lower.endsWith("jaas.config") && value.contains("password=");
        if (secret || holdsCredentials) {
          assertThat(value).as("%s %s comes from the environment", file.getFileName(), key).contains("${env:");
        }
      }
    }
  }

  @Test
  void environmentReferencesHaveTheEnvironmentProvider() {
    for (Path file : allConfigs()) {
      Properties properties = RepoFiles.properties(file);
      boolean referencesEnvironment = properties.stringPropertyNames().stream()
          .anyMatch(key -> ENV_REFERENCE.matcher(properties.getProperty(key)).find());
      if (referencesEnvironment) {
        assertThat(properties.getProperty("config.providers")).as("%s config.providers", file).isEqualTo("env");
        assertThat(properties.getProperty("config.providers.env.class")).as(file.toString()).isEqualTo(ENV_PROVIDER);
      }
    }
  }

  @Test
  void theCollectorExamplesUseTheMemberRoleOfTheTemplates() {
    String memberRoleDefault = Yamls.cloudFormation(RepoFiles.read(RepoFiles.CLOUDFORMATION.resolve("member-role.yaml")))
        .path("Parameters").path("RoleName").path("Default").asText();
    for (Path file : RepoFiles.filesUnder(RepoFiles.DEPLOY, "collector.properties")) {
      String roleName = RepoFiles.properties(file).getProperty("role.name");
      if (roleName != null) {
        assertThat(roleName).as(file.toString()).isEqualTo(memberRoleDefault);
      }
    }
  }

  private static List<Path> productionConfigs() {
    return RepoFiles.filesUnder(RepoFiles.DEPLOY.resolve("config"), ".properties");
  }

  private static List<Path> allConfigs() {
    return RepoFiles.filesUnder(RepoFiles.DEPLOY, ".properties").stream().filter(p -> !p.toString().contains("/target/")).toList();
  }
}
