package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.casefeed.deploy.CloudFormation.Statement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The CloudFormation templates parse, reference only what they define, and grant least privilege. */
class CloudFormationTemplatesTest {

  private static final Set<String> SUPPORT_READ = Set.of(
      "support:DescribeCases", "support:DescribeCommunications", "support:DescribeServices", "support:DescribeSeverityLevels");

  private final CloudFormation memberRole = template("member-role.yaml");
  private final CloudFormation stackSet = template("member-role-stackset.yaml");
  private final CloudFormation roles = template("casefeed-roles.yaml");
  private final CloudFormation bucket = template("casefeed-bucket.yaml");
  private final CloudFormation analytics = template("casefeed-analytics.yaml");
  private final CloudFormation memberEvents = template("member-events.yaml");
  private final CloudFormation centralEvents = template("casefeed-events.yaml");

  @Test
  void theAnalyticsStackHasTheTablesAWorkgroupWithLimitsAndAQuickSightRoleThatOnlyReads() {
    assertThat(analytics.resourcesOfType("AWS::Glue::Table")).containsExactly("CaseChangesTable", "CaseListTable", "CaseListParquetTable",
        "AccountsTable");
    assertThat(analytics.resourcesOfType("AWS::Athena::NamedQuery")).contains("CaseCountsViewQuery", "OpenCasesByDayViewQuery");
    JsonNode csv = analytics.resource("CaseListTable").path("Properties").path("TableInput");
    assertThat(csv.path("StorageDescriptor").path("SerdeInfo").path("SerializationLibrary").asText())
        .isEqualTo("org.apache.hadoop.hive.serde2.OpenCSVSerde");
    assertThat(csv.path("Parameters").path("skip.header.line.count").asText()).isEqualTo("1");
    JsonNode changes = analytics.resource("CaseChangesTable").path("Properties").path("TableInput");
    assertThat(changes.path("Parameters").path("projection.enabled").asText()).isEqualTo("true");
    assertThat(changes.path("PartitionKeys").get(0).path("Name").asText()).isEqualTo("dt");
    JsonNode accounts = analytics.resource("AccountsTable").path("Properties").path("TableInput");
    assertThat(CloudFormation.texts(accounts.path("StorageDescriptor").path("Location")))
        .containsExactly("s3://${BucketName}/${Prefix}/accounts/");
    JsonNode workgroup = analytics.resource("WorkGroup").path("Properties").path("WorkGroupConfiguration");
    assertThat(CloudFormation.texts(workgroup.path("BytesScannedCutoffPerQuery"))).containsExactly("${BytesScannedCutoffPerQuery}");
    assertThat(workgroup.path("EnforceWorkGroupConfiguration").asBoolean()).isTrue();
    assertThat(workgroup.path("ResultConfiguration").path("EncryptionConfiguration").path("EncryptionOption").asText()).isEqualTo("SSE_S3");
    List<Statement> reads = analytics.statementsOfRole("QuickSightAthenaRole");
    assertThat(reads.stream().flatMap(s -> s.actions().stream()))
        .allMatch(a -> a.startsWith("athena:") || a.startsWith("glue:Get") || a.startsWith("s3:"))
        .noneMatch(a -> a.equals("s3:DeleteObject"));
    assertThat(reads.stream().filter(s -> s.actions().contains("s3:GetObject")).flatMap(s -> s.resources().stream()))
        .containsExactlyInAnyOrder("arn:${AWS::Partition}:s3:::${BucketName}/${Prefix}/*",
            "arn:${AWS::Partition}:s3:::${ResultsBucket}/athena-results/*");
    for (String quickSight : List.of("QuickSightAthenaRole", "AthenaDataSource", "CaseCountsDataSet", "OpenCasesByDayDataSet",
        "PivotAnalysis", "PivotDashboard")) {
      assertThat(analytics.resource(quickSight).path("Condition").asText()).as(quickSight).isEqualTo("QuickSightOn");
    }
  }

  @Test
  void everyTemplateParsesAndReferencesOnlyWhatItDefines() {
    List<Path> templates = RepoFiles.filesUnder(RepoFiles.CLOUDFORMATION, ".yaml");
    assertThat(templates).extracting(p -> p.getFileName().toString())
        .contains("member-role.yaml", "member-role-stackset.yaml", "casefeed-roles.yaml", "casefeed-bucket.yaml",
            "member-events.yaml", "casefeed-events.yaml", "casefeed-analytics.yaml");
    for (Path file : templates) {
      JsonNode template = Yamls.cloudFormation(RepoFiles.read(file));
      assertThat(template.path("AWSTemplateFormatVersion").asText()).as(file.toString()).isEqualTo("2010-09-09");
      assertThat(template.path("Description").asText()).as("%s description", file).isNotBlank();
      assertThat(template.path("Resources").size()).as("%s resources", file).isPositive();
      assertThat(new CloudFormation(template).unresolvedReferences()).as("%s unresolved references", file).isEmpty();
    }
  }

  @Test
  void everyTemplateGrantsLeastPrivilege() {
    for (Path file : RepoFiles.filesUnder(RepoFiles.CLOUDFORMATION, ".yaml")) {
      CloudFormation template = new CloudFormation(Yamls.cloudFormation(RepoFiles.read(file)));
      assertThat(template.leastPrivilegeViolations()).as(file.toString()).isEmpty();
    }
  }

  @Test
  void theLeastPrivilegeCheckCatchesWildcardsAndUnscopedResources() {
    CloudFormation tooBroad = new CloudFormation(Yamls.cloudFormation("""
        AWSTemplateFormatVersion: "2010-09-09"
        Description: too broad
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
              Policies:
                - PolicyName: p
                  PolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Sid: AllOfS3
                        Effect: Allow
                        Action: s3:*
                        Resource: !Sub "arn:${AWS::Partition}:s3:::b/*"
                      - Sid: AnyBucket
                        Effect: Allow
                        Action: s3:PutObject
                        Resource: "*"
                      - Sid: AnyService
                        Effect: Allow
                        Action: ses:SendEmail
                        Resource: !Sub "arn:${AWS::Partition}:*:*:*:*"
        """));
    assertThat(tooBroad.leastPrivilegeViolations()).hasSize(3)
        .anyMatch(v -> v.contains("AllOfS3") && v.contains("wildcard action s3:*"))
        .anyMatch(v -> v.contains("AnyBucket") && v.contains("s3:PutObject"))
        .anyMatch(v -> v.contains("AnyService") && v.contains("does not name a service"));
  }

  @Test
  void theMemberRoleReadsSupportCasesOnlyAndTrustsTheCollectorWithAnExternalId() {
    assertThat(memberRole.resourcesOfType("AWS::IAM::Role")).containsExactly("SupportReadRole");
    JsonNode role = memberRole.resource("SupportReadRole").path("Properties");
    assertThat(CloudFormation.texts(role.path("RoleName"))).containsExactly("${RoleName}");
    assertThat(memberRole.parameter("RoleName").path("Default").asText()).isEqualTo("GetSupportInfoRole");

    List<Statement> permissions = memberRole.statementsOfRole("SupportReadRole");
    assertThat(permissions).allMatch(s -> s.effect().equals("Allow"));
    assertThat(permissions.stream().flatMap(s -> s.actions().stream()).collect(Collectors.toSet())).isEqualTo(SUPPORT_READ);
    assertThat(memberRole.permissionStatements()).hasSameSizeAs(permissions);

    List<Statement> trust = memberRole.trustStatements("SupportReadRole");
    assertThat(trust).hasSize(1);
    JsonNode statement = trust.get(0).node();
    assertThat(trust.get(0).effect()).isEqualTo("Allow");
    assertThat(trust.get(0).actions()).containsExactly("sts:AssumeRole");
    assertThat(CloudFormation.texts(statement.path("Principal").path("AWS"))).containsExactly("${CollectorRoleArn}");
    assertThat(CloudFormation.texts(statement.path("Condition").path("StringEquals").path("sts:ExternalId"))).containsExactly("${ExternalId}");
    assertThat(memberRole.parameter("ExternalId").path("NoEcho").asBoolean()).as("the ExternalId is not shown").isTrue();
    assertThat(memberRole.parameter("ExternalId").path("Default").isMissingNode()).as("no default ExternalId").isTrue();
  }

  @Test
  void theStackSetRollsTheMemberRoleOutToOrganizationalUnits() {
    assertThat(stackSet.resourcesOfType("AWS::CloudFormation::StackSet")).containsExactlyInAnyOrder("MemberRoleStackSet", "MemberEventsStackSet");
    JsonNode properties = stackSet.resource("MemberRoleStackSet").path("Properties");
    assertThat(properties.path("PermissionModel").asText()).isEqualTo("SERVICE_MANAGED");
    assertThat(properties.path("AutoDeployment").path("Enabled").asBoolean()).isTrue();
    assertThat(DockerComposeTest.strings(properties.path("Capabilities"))).contains("CAPABILITY_NAMED_IAM");
    assertThat(CloudFormation.texts(properties.path("TemplateURL"))).containsExactly("${MemberRoleTemplateUrl}");
    JsonNode group = properties.path("StackInstancesGroup").get(0);
    assertThat(CloudFormation.texts(group.path("DeploymentTargets").path("OrganizationalUnitIds"))).containsExactly("${OrganizationalUnitIds}");
    assertThat(stackSet.parameter("OrganizationalUnitIds").path("Type").asText()).isEqualTo("CommaDelimitedList");

    Set<String> passed = new TreeSet<>();
    properties.path("Parameters").forEach(p -> {
      passed.add(p.path("ParameterKey").asText());
      assertThat(CloudFormation.texts(p.path("ParameterValue"))).as("passes its own %s", p.path("ParameterKey").asText())
          .containsExactly("${" + p.path("ParameterKey").asText() + "}");
    });
    Set<String> memberParameters = new TreeSet<>();
    Set<String> required = new TreeSet<>();
    memberRole.parameters().fields().forEachRemaining(p -> {
      memberParameters.add(p.getKey());
      if (!p.getValue().has("Default")) {
        required.add(p.getKey());
      }
    });
    assertThat(memberParameters).as("parameters of member-role.yaml").containsAll(passed);
    assertThat(passed).as("every required parameter of member-role.yaml").containsAll(required).contains("RoleName");
    assertThat(stackSet.parameter("ExternalId").path("NoEcho").asBoolean()).isTrue();
  }

  @Test
  void theStackSetForwardsSupportEventsOnlyWhenAskedAndOnlyFromTheSupportRegion() {
    JsonNode events = stackSet.resource("MemberEventsStackSet");
    assertThat(events.path("Condition").asText()).isEqualTo("ForwardsEvents");
    assertThat(stackSet.parameter("MemberEventsTemplateUrl").path("Default").asText()).as("events are off by default").isEmpty();
    JsonNode properties = events.path("Properties");
    assertThat(properties.path("PermissionModel").asText()).isEqualTo("SERVICE_MANAGED");
    assertThat(CloudFormation.texts(properties.path("TemplateURL"))).containsExactly("${MemberEventsTemplateUrl}");
    JsonNode group = properties.path("StackInstancesGroup").get(0);
    assertThat(CloudFormation.texts(group.path("Regions"))).containsExactly("${SupportEventsRegion}");
    assertThat(stackSet.parameter("SupportEventsRegion").path("Default").asText()).isEqualTo("us-east-1");
    Set<String> passed = new TreeSet<>();
    properties.path("Parameters").forEach(p -> passed.add(p.path("ParameterKey").asText()));
    Set<String> memberParameters = new TreeSet<>();
    memberEvents.parameters().fieldNames().forEachRemaining(memberParameters::add);
    assertThat(passed).as("the parameters member-events.yaml takes").isEqualTo(memberParameters);
  }

  @Test
  void theMemberRuleForwardsSupportCaseUpdatesToTheCentralBusOnly() {
    JsonNode rule = memberEvents.resource("SupportEventsRule").path("Properties");
    assertThat(rule.path("EventBusName").asText()).isEqualTo("default");
    assertSupportCaseUpdatePattern(rule.path("EventPattern"));
    JsonNode target = rule.path("Targets").get(0);
    String bus = "arn:${AWS::Partition}:events:${AWS::Region}:${CentralAccountId}:event-bus/${CentralEventBusName}";
    assertThat(CloudFormation.texts(target.path("Arn"))).containsExactly(bus);
    assertThat(CloudFormation.texts(target.path("RoleArn"))).containsExactly("${ForwardRole.Arn}");

    List<Statement> permissions = memberEvents.statementsOfRole("ForwardRole");
    assertThat(actions(permissions)).containsExactly("events:PutEvents");
    assertThat(resourcesOf(permissions, "events:PutEvents")).containsExactly(bus);
    List<Statement> trust = memberEvents.trustStatements("ForwardRole");
    assertThat(trust).singleElement().satisfies(t -> {
      assertThat(CloudFormation.texts(t.node().path("Principal").path("Service"))).containsExactly("events.amazonaws.com");
      assertThat(CloudFormation.texts(t.node().path("Condition"))).anyMatch(c -> c.contains("aws:SourceAccount"));
    });
  }

  @Test
  void theCentralBusTakesTheOrganizationOnlyAndFeedsAQueueWithRedriveAndAlarms() {
    JsonNode policy = centralEvents.resource("OrganizationMayPutEvents").path("Properties").path("Statement");
    assertThat(policy.path("Action").asText()).isEqualTo("events:PutEvents");
    assertThat(CloudFormation.texts(policy.path("Condition").path("StringEquals").path("aws:PrincipalOrgID")))
        .containsExactly("${OrganizationId}");

    JsonNode rule = centralEvents.resource("ToQueueRule").path("Properties");
    assertThat(CloudFormation.texts(rule.path("EventBusName"))).containsExactly("${EventBus}");
    assertSupportCaseUpdatePattern(rule.path("EventPattern"));
    JsonNode target = rule.path("Targets").get(0);
    assertThat(CloudFormation.texts(target.path("Arn"))).containsExactly("${Queue.Arn}");
    assertThat(CloudFormation.texts(target.path("DeadLetterConfig").path("Arn"))).containsExactly("${DeadLetterQueue.Arn}");

    JsonNode queue = centralEvents.resource("Queue").path("Properties");
    assertThat(CloudFormation.texts(queue.path("RedrivePolicy").path("deadLetterTargetArn"))).containsExactly("${DeadLetterQueue.Arn}");
    assertThat(queue.path("ReceiveMessageWaitTimeSeconds").asInt()).isEqualTo(20);
    assertThat(centralEvents.parameter("VisibilityTimeoutSeconds").path("Default").asInt())
        .as("the collector's default events.visibility.timeout.seconds").isEqualTo(120);
    JsonNode send = centralEvents.resource("QueuePolicy").path("Properties").path("PolicyDocument").path("Statement").get(0);
    assertThat(CloudFormation.texts(send.path("Principal").path("Service"))).containsExactly("events.amazonaws.com");
    assertThat(CloudFormation.texts(send.path("Condition").path("ArnEquals").path("aws:SourceArn"))).containsExactly("${ToQueueRule.Arn}");

    assertThat(centralEvents.resourcesOfType("AWS::CloudWatch::Alarm")).containsExactlyInAnyOrder("DeadLetterAlarm", "QueueAgeAlarm");
  }

  @Test
  void theCollectorMayReadTheEventQueueAndNothingElseThere() {
    List<Statement> statements = centralEvents.permissionStatements();
    assertThat(actions(statements)).containsExactlyInAnyOrder(
        "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
    assertThat(resourcesOf(statements, "sqs:ReceiveMessage"))
        .containsExactly("arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}");
    assertThat(resourcesOf(statements, "sqs:GetQueueAttributes")).containsExactlyInAnyOrder(
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}",
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}-dlq");
    assertThat(CloudFormation.texts(centralEvents.resource("CollectorReadsTheQueue").path("Properties").path("Roles")))
        .containsExactly("${CollectorRoleName}");
  }

  private static void assertSupportCaseUpdatePattern(JsonNode pattern) {
    assertThat(DockerComposeTest.strings(pattern.path("source"))).containsExactly("aws.support");
    assertThat(DockerComposeTest.strings(pattern.path("detail-type"))).containsExactly("Support Case Update");
  }

  @Test
  void componentRolesAreAssumedOnlyByTheComputeServiceOfThisAccount() {
    assertThat(roles.resourcesOfType("AWS::IAM::Role")).containsExactlyInAnyOrder("CollectorRole", "StreamsRole", "SinkRole", "NotifierRole");
    assertThat(DockerComposeTest.strings(roles.parameter("ComputeService").path("AllowedValues")))
        .containsExactlyInAnyOrder("ecs-tasks.amazonaws.com", "pods.eks.amazonaws.com", "ec2.amazonaws.com");
    for (String role : roles.resourcesOfType("AWS::IAM::Role")) {
      List<Statement> trust = roles.trustStatements(role);
      assertThat(trust).as(role).hasSize(1);
      JsonNode statement = trust.get(0).node();
      assertThat(trust.get(0).effect()).isEqualTo("Allow");
      assertThat(CloudFormation.texts(statement.path("Principal").path("Service"))).as(role).containsExactly("${ComputeService}");
      assertThat(statement.path("Principal").has("AWS")).as("%s trusts no account principal", role).isFalse();
      assertThat(trust.get(0).actions()).as(role).containsOnly("sts:AssumeRole", "sts:TagSession");
      assertThat(CloudFormation.texts(statement.path("Condition"))).as("%s: aws:SourceAccount", role)
          .anyMatch(condition -> condition.contains("aws:SourceAccount") && condition.contains("AWS::AccountId"));
    }
  }

  @Test
  void theCollectorMayAssumeTheMemberRoleListAccountsAndReadTheAccountFileOnly() {
    List<Statement> statements = roles.statementsOfRole("CollectorRole").stream()
        .filter(s -> s.actions().stream().noneMatch(a -> a.startsWith("kafka-cluster:"))).toList();
    assertThat(actions(statements)).containsExactlyInAnyOrder("sts:AssumeRole", "organizations:ListAccounts", "s3:GetObject");
    assertThat(resourcesOf(statements, "sts:AssumeRole")).containsExactly("arn:${AWS::Partition}:iam::*:role/${MemberRoleName}");
    assertThat(resourcesOf(statements, "s3:GetObject")).containsExactly("arn:${AWS::Partition}:s3:::${AccountFileBucket}/${AccountFileKey}");
    assertThat(roles.parameter("MemberRoleName").path("Default").asText()).isEqualTo("GetSupportInfoRole");
  }

  @Test
  void theSinkWritesUnderItsPrefixOnly() {
    List<Statement> statements = roles.statementsOfRole("SinkRole").stream()
        .filter(s -> s.actions().stream().noneMatch(a -> a.startsWith("kafka-cluster:"))).toList();
    assertThat(actions(statements)).containsExactlyInAnyOrder(
        "s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    for (String action : List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts")) {
      assertThat(resourcesOf(statements, action)).as(action).containsExactly("arn:${AWS::Partition}:s3:::${DataBucketName}/${DataPrefix}/*");
    }
    Statement list = statements.stream().filter(s -> s.actions().contains("s3:ListBucket")).findFirst().orElseThrow();
    assertThat(list.resources()).containsExactly("arn:${AWS::Partition}:s3:::${DataBucketName}");
    assertThat(CloudFormation.texts(list.node().path("Condition").path("StringLike").path("s3:prefix"))).contains("${DataPrefix}/*");
  }

  @Test
  void theNotifierSendsFromItsIdentityOnlyAndTheStreamsRoleHasNoAwsPermission() {
    List<Statement> statements = roles.statementsOfRole("NotifierRole").stream()
        .filter(s -> s.actions().stream().noneMatch(a -> a.startsWith("kafka-cluster:"))).toList();
    assertThat(actions(statements)).containsExactlyInAnyOrder("ses:SendEmail", "ses:SendRawEmail");
    assertThat(resourcesOf(statements, "ses:SendEmail"))
        .contains("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${SesIdentity}")
        .allMatch(r -> r.contains(":identity/${SesIdentity}") || r.contains(":configuration-set/${SesConfigurationSet}"));
    assertThat(roles.statementsOfRole("StreamsRole")).allMatch(s -> s.actions().stream().allMatch(a -> a.startsWith("kafka-cluster:")));
  }

  @Test
  void theStreamsRoleReadsTheNotifiersLedgerForTheDashboardAndWritesNothingThere() {
    List<Statement> streams = roles.permissionStatements().stream().filter(s -> s.where().startsWith("StreamsKafkaPolicy/")).toList();
    String ledger = "${TopicPrefix}" + io.casefeed.schemas.Topics.NOTIFICATIONS.name();
    assertThat(streams).anySatisfy(s -> {
      assertThat(s.actions()).contains("kafka-cluster:ReadData");
      assertThat(s.resources()).anyMatch(r -> r.endsWith(ledger));
    });
    assertThat(streams).filteredOn(s -> s.resources().stream().anyMatch(r -> r.endsWith(ledger)))
        .allSatisfy(s -> assertThat(s.actions()).doesNotContain("kafka-cluster:WriteData"));
  }

  @Test
  void kafkaPermissionsExistOnlyWithMskIamAndStayOnCasefeedTopics() {
    List<String> kafkaPolicies = roles.resourcesOfType("AWS::IAM::Policy");
    assertThat(kafkaPolicies).containsExactlyInAnyOrder("CollectorKafkaPolicy", "StreamsKafkaPolicy", "SinkKafkaPolicy", "NotifierKafkaPolicy");
    for (String id : kafkaPolicies) {
      JsonNode policy = roles.resource(id);
      assertThat(policy.path("Condition").asText()).as(id).isEqualTo("UsesMskIam");
      List<Statement> statements = new ArrayList<>();
      roles.permissionStatements().stream().filter(s -> s.where().startsWith(id + "/")).forEach(statements::add);
      assertThat(actions(statements)).as(id).allMatch(a -> a.startsWith("kafka-cluster:"))
          .doesNotContain("kafka-cluster:DeleteTopic", "kafka-cluster:AlterCluster");
      for (Statement statement : statements) {
        for (String resource : statement.resources()) {
          assertThat(resource).as(statement.where()).contains("/${MskClusterName}/${MskClusterUuid}");
          if (resource.contains(":topic/")) {
            assertThat(resource).as(statement.where()).matches(".*/(\\$\\{TopicPrefix}casefeed\\.[a-z-]+|\\$\\{StreamsApplicationId}-\\*)");
          }
        }
      }
    }
    assertThat(actions(roles.permissionStatements().stream().filter(s -> s.where().startsWith("CollectorKafkaPolicy/")).toList()))
        .doesNotContain("kafka-cluster:CreateTopic");
  }

  @Test
  void theBucketIsEncryptedPrivateAndExpiresHistoryAndSnapshots() {
    JsonNode properties = bucket.resource("DataBucket").path("Properties");
    JsonNode publicAccess = properties.path("PublicAccessBlockConfiguration");
    for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
      assertThat(publicAccess.path(setting).asBoolean()).as(setting).isTrue();
    }
    JsonNode encryption = properties.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0).path("ServerSideEncryptionByDefault");
    assertThat(CloudFormation.texts(encryption)).anyMatch(t -> t.contains("AES256")).anyMatch(t -> t.contains("aws:kms"));

    JsonNode rules = properties.path("LifecycleConfiguration").path("Rules");
    JsonNode history = rule(rules, "change-history-retention");
    assertThat(CloudFormation.texts(history.path("Prefix"))).containsExactly("${DataPrefix}/case_changes/");
    assertThat(CloudFormation.texts(history.path("ExpirationInDays"))).containsExactly("${ChangeHistoryRetentionDays}");
    JsonNode snapshots = rule(rules, "snapshot-retention");
    assertThat(CloudFormation.texts(snapshots.path("Prefix"))).containsExactly("${DataPrefix}/case_list/");
    assertThat(CloudFormation.texts(snapshots.path("ExpirationInDays"))).containsExactly("${SnapshotRetentionDays}");
    assertThat(rule(rules, "abort-incomplete-uploads").path("AbortIncompleteMultipartUpload").path("DaysAfterInitiation").asInt()).isPositive();

    List<Statement> denies = bucket.permissionStatements();
    assertThat(denies).hasSize(1);
    assertThat(denies.get(0).effect()).isEqualTo("Deny");
    assertThat(denies.get(0).node().path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
  }

  private static JsonNode rule(JsonNode rules, String id) {
    for (JsonNode rule : rules) {
      if (rule.path("Id").asText().equals(id)) {
        assertThat(rule.path("Status").asText()).as(id).isEqualTo("Enabled");
        return rule;
      }
    }
    throw new AssertionError("no lifecycle rule " + id);
  }

  private static Set<String> actions(List<Statement> statements) {
    assertThat(statements).allMatch(s -> s.effect().equals("Allow"));
    return statements.stream().flatMap(s -> s.actions().stream()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<String> resourcesOf(List<Statement> statements, String action) {
    return statements.stream().filter(s -> s.actions().contains(action)).flatMap(s -> s.resources().stream()).distinct().toList();
  }

  private static CloudFormation template(String name) {
    return new CloudFormation(Yamls.cloudFormation(RepoFiles.read(RepoFiles.CLOUDFORMATION.resolve(name))));
  }
}
