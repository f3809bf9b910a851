package io.casefeed.localcloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Signatures re-signed with the SDK's SigV4 code against ones made elsewhere: AWS's documented
 * example, requests botocore 1.43 signed (vectors made with Python, not with this code), and the
 * SDK v2's own client signer, which also signs {@code x-amz-content-sha256} and the session token.
 */
class SdkResignerTest {

  private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final String EXAMPLE_SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

  /** AWS's documented IAM ListUsers request (GET, 20150830T123600Z, us-east-1), as its SigV4 guide signs it. */
  private static SdkResigner.Signed awsExample(String query) {
    Function<String, List<String>> headers = headers(Map.of(
        "Content-Type", "application/x-www-form-urlencoded; charset=utf-8", "Host", "iam.amazonaws.com",
        "X-Amz-Date", "20150830T123600Z"));
    return new SdkResigner.Signed("GET", "/", query, headers, "content-type;host;x-amz-date", EMPTY_SHA256,
        "20150830T123600Z", "20150830", "us-east-1", "iam");
  }

  @Test
  void signsAwsDocumentedExample() {
    assertThat(SdkResigner.signature(awsExample("Action=ListUsers&Version=2010-05-08"), "AKIDEXAMPLE", EXAMPLE_SECRET, null))
        .isEqualTo(EXAMPLE_SIGNATURE);
    // The canonical query is sorted, so the order the client sent it in does not matter.
    assertThat(SdkResigner.matches(awsExample("Version=2010-05-08&Action=ListUsers"), "AKIDEXAMPLE", EXAMPLE_SECRET,
        EXAMPLE_SIGNATURE, null)).isTrue();
    assertThat(SdkResigner.matches(awsExample("Action=ListUsers&Version=2010-05-09"), "AKIDEXAMPLE", EXAMPLE_SECRET,
        EXAMPLE_SIGNATURE, null)).isFalse();
  }

  @Test
  void matchesWhatBotocoreSignedForAJsonServiceWithASessionToken() {
    // botocore 1.43.11 SigV4Auth('support', 'us-east-1') at 2026-12-03T20:00:00Z; it signs no x-amz-content-sha256.
    byte[] body = "{\"includeResolvedCases\":true,\"language\":\"ja\",\"nextToken\":\"a b+c\"}".getBytes(StandardCharsets.UTF_8);
    Function<String, List<String>> headers = headers(Map.of("Content-Type", "application/x-amz-json-1.1",
        "X-Amz-Target", "AWSSupport_20130415.DescribeCases", "User-Agent", "aws-cli/2 x", "Host", "127.0.0.1:4566",
        "X-Amz-Date", "20261203T200000Z", "X-Amz-Security-Token", "session-token-value"));
    SdkResigner.Signed signed = new SdkResigner.Signed("POST", "/", null, headers,
        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target", SdkResigner.sha256Hex(body), "20261203T200000Z",
        "20261203", "us-east-1", "support");
    String botocore = "5f3c583b5e65676da01bbddfaea9c01ddff0073023b9302ea86bc7f8f47380f3";
    assertThat(SdkResigner.matches(signed, "ASIATESTACCESSKEY01", "secret/with+chars", botocore, null)).isTrue();
    assertThat(SdkResigner.matches(signed, "ASIATESTACCESSKEY01", "secret/with+chars!", botocore, null)).isFalse();
    SdkResigner.Signed otherBody = new SdkResigner.Signed("POST", "/", null, headers, signed.signedHeaders(),
        SdkResigner.sha256Hex("{}".getBytes(StandardCharsets.UTF_8)), signed.amzDate(), "20261203", "us-east-1", "support");
    assertThat(SdkResigner.matches(otherBody, "ASIATESTACCESSKEY01", "secret/with+chars", botocore, null)).isFalse();
  }

  @Test
  void matchesWhatBotocoreSignedForAnEncodedPathAndQuery() {
    // botocore 1.43.11 SigV4Auth('ses', 'eu-west-1') at 2026-12-04T23:59:59Z: the path's %40 is signed as %2540.
    Function<String, List<String>> headers = headers(Map.of("Host", "localhost:4566", "X-Amz-Date", "20261204T235959Z",
        "User-Agent", "boto3"));
    SdkResigner.Signed signed = new SdkResigner.Signed("GET", "/v2/email/identities/a%40b.com", "PageSize=5&NextToken=x%2Fy%20z",
        headers, "host;x-amz-date", EMPTY_SHA256, "20261204T235959Z", "20261204", "eu-west-1", "ses");
    assertThat(SdkResigner.signature(signed, "AKIATESTBASE0000001", "another-secret", null))
        .isEqualTo("11368c817d1299d85e35e5027bda3a869a7466cf40dd22bada12dd4d234d0b32");
  }

  @Test
  void matchesWhatTheSdksOwnClientSignerSigned() {
    Instant at = Instant.parse("2026-12-05T10:15:30Z");
    byte[] body = "{\"caseIdList\":[\"case-1\"]}".getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("127.0.0.1").port(4566)
        .encodedPath("/").putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "AWSSupport_20130415.DescribeCases").build();
    SignedRequest signedBySdk = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(AwsSessionCredentialsIdentity.create("ASIAFROMSTS00000001", "sts-secret", "sts-token"))
        .request(request)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "support")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    SdkHttpRequest sent = signedBySdk.request();
    SigV4Authorization authorization = SigV4Authorization.parse(sent.firstMatchingHeader("Authorization").orElseThrow());
    assertThat(authorization.signedHeaders()).contains("x-amz-content-sha256").contains("x-amz-security-token");

    Function<String, List<String>> headers = name -> sent.matchingHeaders(name);
    SdkResigner.Signed signed = new SdkResigner.Signed("POST", "/", null, headers, authorization.signedHeaders(),
        sent.firstMatchingHeader("x-amz-content-sha256").orElseThrow(), sent.firstMatchingHeader("X-Amz-Date").orElseThrow(),
        authorization.date(), authorization.region(), authorization.service());
    assertThat(SdkResigner.matches(signed, authorization.accessKeyId(), "sts-secret", authorization.signature(), null)).isTrue();
    Function<String, List<String>> otherToken = name -> name.equalsIgnoreCase("x-amz-security-token")
        ? List.of("another-token") : sent.matchingHeaders(name);
    SdkResigner.Signed forgedToken = new SdkResigner.Signed("POST", "/", null, otherToken, signed.signedHeaders(),
        signed.payloadHash(), signed.amzDate(), signed.date(), signed.region(), signed.service());
    assertThat(SdkResigner.matches(forgedToken, authorization.accessKeyId(), "sts-secret", authorization.signature(), null))
        .isFalse();
  }

  @Test
  void matchesAListThatSignsUserAgentAsTheSdkForJavaV1Does() {
    // botocore 1.43.11 with its header exclusions emptied (so it signs User-Agent, as the AWS SDK for Java v1's
    // AWS4Signer does), SigV4Auth('sts', 'us-east-1') at 2026-12-05T08:30:00Z; the doubled spaces fold to one.
    Function<String, List<String>> headers = headers(Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8",
        "User-Agent", "aws-sdk-java/1.12.780  Linux/6.1   OpenJDK_64-Bit_Server_VM", "Host", "127.0.0.1:4566",
        "X-Amz-Date", "20261205T083000Z"));
    SdkResigner.Signed signed = new SdkResigner.Signed("POST", "/", null, headers, "content-type;host;user-agent;x-amz-date",
        SdkResigner.sha256Hex("Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8)),
        "20261205T083000Z", "20261205", "us-east-1", "sts");
    assertThat(SdkResigner.signature(signed, "AKIATESTBASE0000001", "v1-secret", null))
        .isEqualTo("eb11b9a4d45f3accf854efbe2d6f45d970bd2acda1150002549f0712ee903b1f");
  }

  @Test
  void whatNoSdkCouldHaveSignedIsRefusedWithoutAnError() {
    SdkResigner.Signed example = awsExample("Action=ListUsers&Version=2010-05-08");
    for (String method : List.of("PROPFIND", "get")) {
      assertThat(SdkResigner.signature(new SdkResigner.Signed(method, "/", example.rawQuery(), example.headers(),
          example.signedHeaders(), EMPTY_SHA256, example.amzDate(), "20150830", "us-east-1", "iam"), "AKIDEXAMPLE",
          EXAMPLE_SECRET, null)).as(method).isNull();
    }
    // A raw '|' is no URI character: java.net.URI refuses it, so no SDK signed it; a refusal, not a 500.
    assertThat(SdkResigner.signature(new SdkResigner.Signed("GET", "/v2/email/identities/a|b", null, example.headers(),
        example.signedHeaders(), EMPTY_SHA256, example.amzDate(), "20150830", "us-east-1", "iam"), "AKIDEXAMPLE",
        EXAMPLE_SECRET, null)).isNull();
    for (String list : List.of("host;content-type;x-amz-date", "content-type;Host;x-amz-date", "content-type;host;host;x-amz-date",
        "content-type;;host;x-amz-date", "")) {
      assertThat(SdkResigner.signature(new SdkResigner.Signed("GET", "/", example.rawQuery(), example.headers(), list,
          EMPTY_SHA256, example.amzDate(), "20150830", "us-east-1", "iam"), "AKIDEXAMPLE", EXAMPLE_SECRET, null))
          .as(list).isNull();
    }
  }

  @Test
  void refusesAHeaderListTheRequestDoesNotBear() {
    // x-amz-target is listed but absent: the SDK would not have signed it, so nothing the client sent can match.
    SdkResigner.Signed signed = new SdkResigner.Signed("GET", "/", "Action=ListUsers&Version=2010-05-08",
        awsExample(null).headers(), "content-type;host;x-amz-date;x-amz-target", EMPTY_SHA256, "20150830T123600Z",
        "20150830", "us-east-1", "iam");
    assertThat(SdkResigner.signature(signed, "AKIDEXAMPLE", EXAMPLE_SECRET, null)).isNull();
    SdkResigner.Signed noDate = new SdkResigner.Signed("GET", "/", null, awsExample(null).headers(),
        "content-type;host;x-amz-date", EMPTY_SHA256, null, "20150830", "us-east-1", "iam");
    assertThat(SdkResigner.signature(noDate, "AKIDEXAMPLE", EXAMPLE_SECRET, null)).isNull();
  }

  @Test
  void signingKeysStayApartBySecretAndSignTheSameFromManyThreads() throws Exception {
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    SdkResigner.Signed example = awsExample("Action=ListUsers&Version=2010-05-08");
    for (int t = 0; t < 8; t++) {
      int salt = t;
      threads.add(new Thread(() -> {
        for (int i = 0; i < 100; i++) {
          seen.add(SdkResigner.signature(example, "AKIDEXAMPLE", EXAMPLE_SECRET, null));
          // Other secrets for the same scope must never come back as the example's key.
          assertThat(SdkResigner.signature(example, "AKIDEXAMPLE", "secret-" + salt + "-" + i, null))
              .isNotEqualTo(EXAMPLE_SIGNATURE);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(seen).hasSize(8 * 100).containsOnly(EXAMPLE_SIGNATURE);
  }

  private static Function<String, List<String>> headers(Map<String, String> given) {
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    given.forEach((name, value) -> byName.put(name.toLowerCase(Locale.ROOT), List.of(value)));
    return byName::get;
  }
}
