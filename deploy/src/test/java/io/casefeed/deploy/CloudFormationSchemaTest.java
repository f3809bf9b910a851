package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every CloudFormation template in deploy/ against AWS's published resource schemas (npm's
 * {@code @aws-cdk/aws-service-spec}, pinned in deploy/pom.xml and fetched by .ci/run); a missing spec fails the
 * build with the command that fetches it.
 */
class CloudFormationSchemaTest {

  private static CfnResourceSpec spec;

  @BeforeAll
  static void loadSpec() {
    spec = CfnResourceSpec.load();
  }

  @Test
  void theSpecIsTheFullPublishedCatalogue() {
    assertThat(spec.resourceTypeCount()).isGreaterThan(1000);
    assertThat(spec.resource("AWS::S3::Bucket")).isPresent();
    assertThat(spec.resource("AWS::QuickSight::Dashboard")).isPresent();
  }

  @Test
  void everyTemplateInDeployMatchesTheResourceSchemas() {
    List<Path> templates = RepoFiles.filesUnder(RepoFiles.CLOUDFORMATION, ".yaml");
    assertThat(templates).extracting(p -> p.getFileName().toString())
        .contains("member-role.yaml", "member-role-stackset.yaml", "casefeed-roles.yaml", "casefeed-bucket.yaml",
            "member-events.yaml", "casefeed-events.yaml", "casefeed-analytics.yaml");
    List<String> problems = new ArrayList<>();
    for (Path file : templates) {
      JsonNode template = Yamls.cloudFormation(RepoFiles.read(file));
      problems.addAll(CfnSchemaCheck.problems(spec, RepoFiles.ROOT.relativize(file).toString(), template));
    }
    assertThat(problems).as("schema problems").isEmpty();
  }

  @Test
  void aBrokenTemplateIsCaughtNamingTemplateResourceAndProperty() {
    String name = "cloudformation-broken/broken.yaml";
    List<String> problems = CfnSchemaCheck.problems(spec, name, Yamls.cloudFormation(resource(name)));
    assertThat(problems).containsExactlyInAnyOrder(
        name + ": Results (AWS::S3::Bucket): BucketNme: property does not exist",
        name + ": Results (AWS::S3::Bucket): VersioningConfiguration.MfaDeleted: property does not exist",
        name + ": Workgroup (AWS::Athena::WorkGroup): Name: required property is missing",
        name + ": Workgroup (AWS::Athena::WorkGroup): RecursiveDeleteOption: expected a boolean, found [\"enabled\"]",
        name + ": Workgroup (AWS::Athena::WorkGroup): WorkGroupConfiguration.BytesScannedCutoffPerQuery: expected an integer, found \"ten-megabytes\"",
        name + ": Topic (AWS::SNS::Topick): resource type does not exist",
        name + ": Queue (AWS::SQS::Queue): Fn::GetAtt attribute Colour does not exist");
  }

  @Test
  void aMissingSpecFailsWithTheCommandThatFetchesIt() {
    String previous = System.getProperty(CfnResourceSpec.TARBALL_PROPERTY);
    System.setProperty(CfnResourceSpec.TARBALL_PROPERTY, "target/no-such-spec.tgz");
    System.setProperty(CfnResourceSpec.FETCH_PROPERTY, "false");
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(CfnResourceSpec::load)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("target/no-such-spec.tgz is missing")
          .hasMessageContaining("bash .ci/fetch-cfn-spec")
          .hasMessageContaining("npm pack @aws-cdk/aws-service-spec@" + System.getProperty(CfnResourceSpec.VERSION_PROPERTY));
    } finally {
      System.clearProperty(CfnResourceSpec.FETCH_PROPERTY);
      if (previous == null) {
        System.clearProperty(CfnResourceSpec.TARBALL_PROPERTY);
      } else {
        System.setProperty(CfnResourceSpec.TARBALL_PROPERTY, previous);
      }
    }
  }

  private static String resource(String name) {
    try (InputStream in = CloudFormationSchemaTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
