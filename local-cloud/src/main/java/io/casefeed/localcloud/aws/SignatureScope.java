package io.casefeed.localcloud.aws;

import io.casefeed.localcloud.protocol.AwsServiceException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SigV4 checks that need no secret, made as AWS makes them before the signature itself: the
 * request's {@code X-Amz-Date} within 15 minutes of the server's clock, and a credential scope whose
 * date is that of {@code X-Amz-Date}, whose service is the one called and whose region is one the
 * service answers in. Refusals take the protocol's code: {@code SignatureDoesNotMatch} (Query) or
 * {@code InvalidSignatureException} (JSON), HTTP 403, with AWS's wording.
 */
public final class SignatureScope {

  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  /** local-cloud's service names (as its routes call them) and the name each signs with. */
  private static final Map<String, String> SIGNING_NAMES = Map.of(
      "Support", "support", "Organizations", "organizations", "STS", "sts", "SES", "ses", "SESv2", "ses",
      "Athena", "athena", "SNS", "sns");
  /**
   * Support and Organizations answer (and are signed) in us-east-1 only, in the aws partition. STS,
   * SES and Athena are regional: one local endpoint stands in for every region, so any well-formed region is theirs.
   */
  private static final Map<String, String> SINGLE_REGION = Map.of("Support", "us-east-1", "Organizations", "us-east-1");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d");

  private SignatureScope() {
  }

  /** Refuses a request dated more than 15 minutes before or after {@code now}; a missing or unparsable date is left to the signature check. */
  public static void checkTime(String amzDate, Instant now, boolean queryProtocol) {
    Instant signedAt = parseAmzDate(amzDate);
    if (signedAt == null) {
      return;
    }
    if (signedAt.isBefore(now.minus(MAX_SKEW))) {
      throw refused(queryProtocol, "Signature expired: " + amzDate + " is now earlier than "
          + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
    }
    if (signedAt.isAfter(now.plus(MAX_SKEW))) {
      throw refused(queryProtocol, "Signature not yet current: " + amzDate + " is still later than "
          + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
    }
  }

  /**
   * Refuses a credential scope ({@code date/region/service}) that does not fit the request.
   *
   * @param service local-cloud's name of the service called: Support, Organizations, STS, SES, SESv2, Athena
   */
  public static void checkScope(String scopeDate, String region, String scopeService, String amzDate, String service,
      boolean queryProtocol) {
    if (amzDate != null && amzDate.length() >= 8 && !amzDate.startsWith(scopeDate)) {
      throw refused(queryProtocol, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
          + scopeDate + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
    }
    String expectedRegion = SINGLE_REGION.get(service);
    if (expectedRegion != null ? !expectedRegion.equals(region) : !REGION.matcher(region).matches()) {
      throw refused(queryProtocol, "Credential should be scoped to a valid region" + (expectedRegion == null ? ". "
          : ", not '" + region + "'. "));
    }
    String expectedService = SIGNING_NAMES.get(service);
    if (expectedService != null && !expectedService.equals(scopeService)) {
      throw refused(queryProtocol, "Credential should be scoped to correct service: '" + expectedService + "'. ");
    }
  }

  /** The instant an {@code X-Amz-Date} ({@code 20261206T023000Z}) names; null when it is missing or malformed. */
  static Instant parseAmzDate(String amzDate) {
    if (amzDate == null) {
      return null;
    }
    try {
      return Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static AwsServiceException refused(boolean queryProtocol, String message) {
    return new AwsServiceException(403, queryProtocol ? "SignatureDoesNotMatch" : "InvalidSignatureException", message);
  }
}
