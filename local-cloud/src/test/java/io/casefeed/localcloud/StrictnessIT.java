package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.common.testing.ExternalProgram;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where local-cloud is as strict as AWS, driven through boto3 and the AWS CLI v2 (clients local-cloud
 * did not write): each refusal's error code, HTTP status and envelope as botocore reads them.
 */
class StrictnessIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path workDir;
  static LocalCloud cloud;
  static LocalCloud sandbox;

  @BeforeAll
  static void start() {
    cloud = LocalCloud.start(LocalCloudOptions.builder().dataDir(workDir.resolve("data")).accounts(6).seed(17L).build());
    cloud.simulation().pause();
    Scenario inSandbox = new Scenario(17L, 2, null, null, null, null, null, 0, 0, 0, null, 0.0, null, true, null, null);
    sandbox = LocalCloud.start(LocalCloudOptions.builder().dataDir(workDir.resolve("sandbox")).scenario(inSandbox).build());
    sandbox.simulation().pause();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
    cloud.close();
  }

  static Map<String, String> endpoints() {
    Map<String, String> env = new HashMap<>();
    env.put("LOCALCLOUD_AWS", cloud.awsEndpoint().toString());
    env.put("LOCALCLOUD_SANDBOX", sandbox.awsEndpoint().toString());
    env.put("AWS_ACCESS_KEY_ID", cloud.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey());
    return env;
  }

  static JsonNode python(String script, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(ExternalProgram.PYTHON, ExternalProgram.resource("python/" + script).toString()));
    command.addAll(List.of(args));
    return JSON.readTree(ExternalProgram.run(workDir, endpoints(), command));
  }

  static void assertRefused(JsonNode outcome, int status, String code, String type, String messagePart) {
    assertThat(outcome.has("ok")).as("refused: %s", outcome).isFalse();
    assertThat(outcome.path("status").asInt()).as("status of %s", outcome).isEqualTo(status);
    assertThat(outcome.path("code").asText()).as("code of %s", outcome).isEqualTo(code);
    if (type != null) {
      assertThat(outcome.path("type").asText()).as("Query envelope Type of %s", outcome).isEqualTo(type);
    }
    assertThat(outcome.path("message").asText()).as("message of %s", outcome).contains(messagePart);
  }

  static JsonNode served(JsonNode outcome) {
    assertThat(outcome.has("ok")).as("served: %s", outcome).isTrue();
    return outcome.path("ok");
  }

  @Test
  void sesRefusesWhatSesRefusesAndServesItsReadOperations() throws Exception {
    int before = cloud.outbox().size();
    JsonNode r = python("ses_strict.py");

    assertRefused(r.path("unverifiedSenderV1"), 400, "MessageRejected", "Sender", "Email address is not verified");
    assertRefused(r.path("unverifiedSenderV2"), 400, "MessageRejected", null, "intruder@example.org");
    assertRefused(r.path("notAnEmailV1"), 400, "InvalidParameterValue", "Sender", "Missing final '@domain'");
    assertRefused(r.path("bareAtV1"), 400, "InvalidParameterValue", "Sender", "a@");
    assertRefused(r.path("notAnEmailV2"), 400, "BadRequestException", null, "Missing final '@domain'");
    assertRefused(r.path("malformedSenderV2"), 400, "BadRequestException", null, "a@");
    assertRefused(r.path("fiftyOneV1"), 400, "InvalidParameterValue", "Sender", "Recipient count exceeds 50.");
    assertRefused(r.path("fiftyOneV2"), 400, "BadRequestException", null, "Recipient count exceeds 50.");
    assertThat(served(r.path("fiftyV1")).path("MessageId").asText()).isNotBlank();
    assertRefused(r.path("rawOverTenMegabytes"), 400, "InvalidParameterValue", "Sender", "Message length is more than 10485760 bytes");

    assertThat(served(r.path("quotaV1")).path("Max24HourSend").asDouble()).isEqualTo(50_000.0);
    served(r.path("verify"));
    assertThat(served(r.path("verifiedSenderNowSends")).path("MessageId").asText()).isNotBlank();
    assertThat(served(r.path("listIdentities")).path("Identities")).extracting(JsonNode::asText)
        .containsExactly("example.com", "newcomer@example.org");
    assertThat(served(r.path("listEmailIdentities")).path("Identities")).extracting(JsonNode::asText)
        .containsExactly("newcomer@example.org");
    JsonNode account = served(r.path("accountV2"));
    assertThat(account.path("ProductionAccessEnabled").asBoolean()).isTrue();
    assertThat(account.path("SendQuota").path("SentLast24Hours").asDouble()).isEqualTo(before + 2.0);
    JsonNode identity = served(r.path("identityV2"));
    assertThat(identity.path("IdentityType").asText()).isEqualTo("EMAIL_ADDRESS");
    assertThat(identity.path("VerifiedForSendingStatus").asBoolean()).isTrue();
    assertRefused(r.path("unknownIdentityV2"), 404, "NotFoundException", null, "nobody@example.net");

    assertThat(served(r.path("sandboxAccountV2")).path("ProductionAccessEnabled").asBoolean()).isFalse();
    assertThat(served(r.path("sandboxQuotaV1")).path("Max24HourSend").asDouble()).isEqualTo(200.0);
    served(r.path("sandboxSimulatorV1"));
    served(r.path("sandboxSimulatorV2"));
    assertRefused(r.path("sandboxStrangerV2"), 400, "MessageRejected", null, "stranger@elsewhere.example");
    assertRefused(r.path("sandboxLookalikeV1"), 400, "MessageRejected", "Sender", "someone@simulator.amazonses.com");
    assertThat(cloud.outbox()).hasSize(before + 2);
    assertThat(sandbox.outbox()).hasSize(2);
  }

  @Test
  void stsRefusesRootOverlongSessionsAndBadExternalIdsAndServesPresignedIdentity() throws Exception {
    SimulatedAccount member = cloud.simulation().accounts().get(5);
    JsonNode r = python("sts_and_signing.py", member.id());

    String managementId = cloud.managementAccountId();
    JsonNode management = served(r.path("managementIdentity"));
    assertThat(management.path("Arn").asText()).isEqualTo("arn:aws:iam::" + managementId + ":user/casefeed");
    assertThat(management.path("UserId").asText()).startsWith("AIDA");
    assertThat(served(r.path("rootIdentity")).path("Arn").asText()).isEqualTo("arn:aws:iam::" + managementId + ":root");
    assertRefused(r.path("rootAssumeRole"), 403, "AccessDenied", "Sender", "Roles may not be assumed by root accounts.");
    assertRefused(r.path("durationAboveMax"), 400, "ValidationError", "Sender",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    served(r.path("durationAtMax"));
    assertRefused(r.path("externalIdTooShort"), 400, "ValidationError", "Sender",
        "at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2");
    assertRefused(r.path("externalIdTooLong"), 400, "ValidationError", "Sender", "Member must have length less than or equal to 1224");
    assertRefused(r.path("externalIdOffPattern"), 400, "ValidationError", "Sender",
        "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
    served(r.path("externalIdLongest"));

    assertThat(r.path("presigned").path("status").asInt()).as("%s", r.path("presigned")).isEqualTo(200);
    assertThat(r.path("presigned").path("body").asText())
        .contains("<GetCallerIdentityResponse", "<Account>" + member.id() + "</Account>", "assumed-role/GetSupportInfoRole/probe");
    assertThat(r.path("presignedTampered").path("status").asInt()).isEqualTo(403);
    assertThat(r.path("presignedTampered").path("body").asText()).contains("<Code>SignatureDoesNotMatch</Code>", "<Type>Sender</Type>");
  }

  @Test
  void sigV4RefusesRequestsDatedOutsideFifteenMinutesOrScopedElsewhere() throws Exception {
    JsonNode r = python("sts_and_signing.py", cloud.simulation().accounts().get(5).id());

    assertRefused(r.path("stsSignedTwentyMinutesAhead"), 403, "SignatureDoesNotMatch", "Sender", "Signature not yet current: ");
    assertRefused(r.path("stsSignedTenHoursBehind"), 403, "SignatureDoesNotMatch", "Sender", "Signature expired: ");
    assertRefused(r.path("supportSignedTwentyMinutesAhead"), 403, "InvalidSignatureException", null, "is still later than");
    assertRefused(r.path("supportSignedTenHoursBehind"), 403, "InvalidSignatureException", null, "is now earlier than");
    served(r.path("supportSignedFourteenMinutesBehind"));
    assertRefused(r.path("supportScopedToEuWest1"), 403, "InvalidSignatureException", null,
        "Credential should be scoped to a valid region, not 'eu-west-1'. ");
    assertThat(r.path("supportScopedToSts").path("status").asInt()).isEqualTo(403);
    JsonNode wrongService = JSON.readTree(r.path("supportScopedToSts").path("body").asText());
    assertThat(wrongService.path("__type").asText()).isEqualTo("InvalidSignatureException");
    assertThat(wrongService.path("message").asText()).isEqualTo("Credential should be scoped to correct service: 'support'. ");
    assertThat(served(r.path("stsScopedToEuWest1")).path("Account").asText()).isEqualTo(cloud.managementAccountId());
  }

  @Test
  void supportReopensOnReplyKeepsAttachmentSetsAndRefusesBadIssueTypes() throws Exception {
    JsonNode r = python("support_and_organizations.py", cloud.simulation().accounts().get(5).id());

    assertThat(r.path("resolvedStatus").asText()).isEqualTo("resolved");
    assertThat(served(r.path("reply")).path("result").asBoolean()).isTrue();
    assertThat(r.path("statusAfterReply").asText()).isEqualTo("reopened");
    JsonNode set = served(r.path("addAttachments"));
    assertThat(set.path("attachmentSetId").asText()).startsWith("as-");
    assertThat(set.path("expiryTime").asText()).isNotBlank();
    served(r.path("replyWithAttachments"));
    assertRefused(r.path("unknownSetOnReply"), 400, "AttachmentSetIdNotFound", null, "as-unknown");
    assertRefused(r.path("unknownSetOnAdd"), 400, "AttachmentSetIdNotFound", null, "as-unknown");
    assertRefused(r.path("unknownSetOnCreate"), 400, "AttachmentSetIdNotFound", null, "as-unknown");
    assertRefused(r.path("fourAttachments"), 400, "AttachmentLimitExceeded", null, "3");
    assertRefused(r.path("unknownAttachment"), 400, "AttachmentIdNotFound", null, "attachment-unknown");
    assertRefused(r.path("invalidIssueType"), 400, "InvalidParameterValueException", null, "billing");
    assertThat(served(r.path("servicesJa")).path("services").get(0).path("name").asText()).isEqualTo("一般的な情報と入門");
    assertThat(served(r.path("servicesEn")).path("services").get(0).path("name").asText()).isEqualTo("General Info and Getting Started");
    assertRefused(r.path("servicesBadLanguage"), 400, "ValidationException", null, "fr");
  }

  @Test
  void organizationsDescribesItselfToEveryAccountAndGivesTheReasonOfBadInput() throws Exception {
    JsonNode r = python("support_and_organizations.py", cloud.simulation().accounts().get(5).id());

    String managementId = cloud.managementAccountId();
    for (String who : List.of("organizationManagement", "organizationMember")) {
      JsonNode organisation = served(r.path(who)).path("Organization");
      assertThat(organisation.path("Id").asText()).as(who).matches("o-[a-z0-9]{10}");
      assertThat(organisation.path("MasterAccountId").asText()).as(who).isEqualTo(managementId);
      assertThat(organisation.path("FeatureSet").asText()).as(who).isEqualTo("ALL");
      assertThat(organisation.path("Arn").asText()).as(who)
          .isEqualTo("arn:aws:organizations::" + managementId + ":organization/" + organisation.path("Id").asText());
    }
    assertRefused(r.path("maxResultsTooHigh"), 400, "InvalidInputException", null, "MaxResults");
    assertThat(r.path("maxResultsTooHigh").path("reason").asText()).isEqualTo("MAX_VALUE_EXCEEDED");
    assertRefused(r.path("badNextToken"), 400, "InvalidInputException", null, "NextToken");
    assertThat(r.path("badNextToken").path("reason").asText()).isEqualTo("INVALID_NEXT_TOKEN");
  }
}
