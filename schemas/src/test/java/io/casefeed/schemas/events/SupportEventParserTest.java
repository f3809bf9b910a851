package io.casefeed.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schema.SupportEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SupportEventParserTest {

  static final Instant RECEIVED = Instant.parse("2026-11-26T08:15:31.250Z");

  /** AWS's documented example of a reply from AWS, byte for byte in field order. */
  static final String AWS_EXAMPLE = """
      {
          "version": "0",
          "id": "1aa4458d-556f-732e-ddc1-4a5b2fbd14a5",
          "detail-type": "Support Case Update",
          "source": "aws.support",
          "account": "111122223333",
          "time": "2022-02-21T15:51:31Z",
          "region": "us-east-1",
          "resources": [],
          "detail": {
              "case-id": "case-111122223333-muen-2022-7118885805350839",
              "display-id": "1234563851",
              "communication-id": "ekko-37bc67a7e8b1a7fbb8d2b2a6ad6d7e5d5a0d9fcaf3fe0c5c4adf4b8dbb10cb83",
              "event-name": "AddCommunicationToCase",
              "origin": "AWS"
          }
      }
      """;

  @Test
  void readsEveryFieldOfAwsExample() {
    SupportEventParser.Result result = SupportEventParser.parse(AWS_EXAMPLE, RECEIVED, "msg-1");

    assertThat(result.ok()).as(result.reason()).isTrue();
    SupportEvent event = result.event();
    assertThat(event.getEventId()).isEqualTo("1aa4458d-556f-732e-ddc1-4a5b2fbd14a5");
    assertThat(event.getAccountId()).isEqualTo("111122223333");
    assertThat(event.getCaseId()).isEqualTo("case-111122223333-muen-2022-7118885805350839");
    assertThat(event.getDisplayId()).isEqualTo("1234563851");
    assertThat(event.getCommunicationId()).startsWith("ekko-37bc");
    assertThat(event.getEventName()).isEqualTo("AddCommunicationToCase");
    assertThat(event.getOrigin()).isEqualTo("AWS");
    assertThat(event.getRegion()).isEqualTo("us-east-1");
    assertThat(event.getEventTime()).isEqualTo(Instant.parse("2022-02-21T15:51:31Z"));
    assertThat(event.getResources()).isEmpty();
    assertThat(event.getReceivedAt()).isEqualTo(RECEIVED);
    assertThat(event.getSqsMessageId()).isEqualTo("msg-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"CreateCase", "ResolveCase", "ReopenCase"})
  void emptyCommunicationAndOriginOfOtherEventsBecomeNull(String name) {
    // Support writes empty strings where an event has no communication or origin.
    String body = AWS_EXAMPLE.replace("\"AddCommunicationToCase\"", "\"" + name + "\"")
        .replaceAll("\"communication-id\": \"[^\"]*\"", "\"communication-id\": \"\"")
        .replace("\"origin\": \"AWS\"", "\"origin\": \"\"");

    SupportEvent event = SupportEventParser.parse(body, RECEIVED, null).event();

    assertThat(event.getEventName()).isEqualTo(name);
    assertThat(event.getCommunicationId()).isNull();
    assertThat(event.getOrigin()).isNull();
    assertThat(event.getSqsMessageId()).isNull();
    assertThat(event.getEventTime()).isEqualTo(Instant.parse("2022-02-21T15:51:31Z"));
  }

  @Test
  void unknownFieldsAreIgnoredForwardCompatibly() {
    String body = AWS_EXAMPLE.replace("\"resources\": [],", "\"resources\": [\"arn:aws:support::111122223333:case/x\"], \"replay-name\": \"r\",")
        .replace("\"origin\": \"AWS\"", "\"origin\": \"AWS\", \"severity\": \"high\"");

    SupportEvent event = SupportEventParser.parse(body, RECEIVED, null).event();

    assertThat(event.getResources()).containsExactly("arn:aws:support::111122223333:case/x");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      wrong detail-type           | "detail-type": "Support Case Update"    | "detail-type": "AWS API Call via CloudTrail" | detail-type is "AWS API Call via CloudTrail", not "Support Case Update"
      wrong source                | "source": "aws.support"                 | "source": "aws.health"                       | source is "aws.health", not "aws.support"
      other version               | "version": "0"                          | "version": "1"                               | unsupported envelope version "1"
      numeric account             | "account": "111122223333"               | "account": 111122223333                      | account is not a string
      short account               | "account": "111122223333"               | "account": "11112222333"                     | account "11112222333" is not well formed
      account with a colon        | "account": "111122223333"               | "account": "11112222333:"                    | account "11112222333:" is not well formed
      missing id                  | "id": "1aa4458d-556f-732e-ddc1-4a5b2fbd14a5", |                                        | id is missing
      id with spaces              | "id": "1aa4458d-556f-732e-ddc1-4a5b2fbd14a5"  | "id": "a b"                            | id "a b" is not well formed
      time with an offset         | "time": "2022-02-21T15:51:31Z"          | "time": "2022-02-21T15:51:31+01:00"          | time "2022-02-21T15:51:31+01:00" is not an ISO-8601 UTC instant
      not a time                  | "time": "2022-02-21T15:51:31Z"          | "time": "yesterday"                          | time "yesterday" is not an ISO-8601 UTC instant
      bad region                  | "region": "us-east-1"                   | "region": "../etc"                           | region "../etc" is not well formed
      resources not an array      | "resources": []                         | "resources": "x"                             | resources is not an array
      unknown event               | "event-name": "AddCommunicationToCase"  | "event-name": "DeleteCase"                   | detail.event-name "DeleteCase" is not one of [AddCommunicationToCase, CreateCase, ReopenCase, ResolveCase]
      unknown origin              | "origin": "AWS"                         | "origin": "ROBOT"                            | detail.origin "ROBOT" is not one of [AWS, CUSTOMER]
      hostile case id             | "case-id": "case-111122223333-muen-2022-7118885805350839" | "case-id": "case-1\\u0000; DROP"  | case-id "case-1\\u0000; DROP" is not well formed
      case id not a case          | "case-id": "case-111122223333-muen-2022-7118885805350839" | "case-id": "x"   | case-id "x" is not well formed
      display id with letters     | "display-id": "1234563851"              | "display-id": "12a"                          | display-id "12a" is not well formed
      reply without communication | "communication-id": "ekko-37bc67a7e8b1a7fbb8d2b2a6ad6d7e5d5a0d9fcaf3fe0c5c4adf4b8dbb10cb83" | "communication-id": "" | detail.communication-id is missing for AddCommunicationToCase
      """)
  void rejectsWithAReason(String what, String from, String to, String reason) {
    String body = AWS_EXAMPLE.replace(from, to == null ? "" : to);
    assertThat(body).as("the test edits the example").isNotEqualTo(AWS_EXAMPLE);

    SupportEventParser.Result result = SupportEventParser.parse(body, RECEIVED, null);

    assertThat(result.ok()).isFalse();
    assertThat(result.reason()).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "null", "[]", "\"Support Case Update\"", "42", "{", "{}x", "{\"version\":\"0\"} {\"version\":\"0\"}",
      "<Message>not json</Message>"})
  void rejectsWhatIsNoObject(String body) {
    SupportEventParser.Result result = SupportEventParser.parse(body, RECEIVED, null);

    assertThat(result.ok()).isFalse();
    assertThat(result.reason()).isNotBlank().hasSizeLessThan(300);
  }

  @Test
  void rejectsDuplicateKeysSoNoFieldCanBeSmuggledPastTheCheck() {
    String body = AWS_EXAMPLE.replace("\"account\": \"111122223333\",", "\"account\": \"111122223333\", \"account\": \"999999999999\",");

    assertThat(SupportEventParser.parse(body, RECEIVED, null).reason()).startsWith("not JSON: Duplicate field 'account'");
  }

  @Test
  void rejectsDeepNestingAndHugeBodiesWithoutReadingThemWhole() {
    String deep = "{\"detail\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
    assertThat(SupportEventParser.parse(deep, RECEIVED, null).reason()).startsWith("not JSON:");

    String huge = AWS_EXAMPLE.replace("\"resources\": [],", "\"resources\": [], \"pad\": \"" + "x".repeat(300_000) + "\",");
    assertThat(SupportEventParser.parse(huge, RECEIVED, null).reason()).isEqualTo("body larger than 262144 bytes");
  }

  @Test
  void controlCharactersInAReasonAreEscaped() {
    String body = AWS_EXAMPLE.replace("\"source\": \"aws.support\"", "\"source\": \"aws\\u001b[31m\\n\"");

    String reason = SupportEventParser.parse(body, RECEIVED, null).reason();

    assertThat(reason).isEqualTo("source is \"aws\\u001b[31m\\u000a\", not \"aws.support\"").doesNotContain("\n", "\u001b");
  }

  @Test
  void aResultIsEitherAnEventOrAReason() {
    assertThat(SupportEventParser.parse(AWS_EXAMPLE, RECEIVED, null).reason()).isNull();
    assertThat(SupportEventParser.parse("{}", RECEIVED, null).event()).isNull();
    assertThat(SupportEventParser.parse("{}", RECEIVED, null).reason()).isEqualTo("version is missing");
  }
}
