package io.casefeed.collector.poll;

import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Sorts what an AWS call threw into retry-or-not and the outcome it means for the poll. */
final class AwsFailures {

  private static final Set<String> THROTTLING = Set.of(
      "throttlingexception", "throttling", "toomanyrequestsexception", "requestlimitexceeded", "slowdown",
      "provisionedthroughputexceededexception", "requestthrottled", "requestthrottledexception");
  private static final Set<String> ACCESS_DENIED = Set.of(
      "accessdenied", "accessdeniedexception", "unauthorizedoperation", "invalidclienttokenid",
      "unrecognizedclientexception", "expiredtoken", "expiredtokenexception", "signaturedoesnotmatch");
  private static final Set<String> NO_SUPPORT_PLAN = Set.of("subscriptionrequiredexception");

  private AwsFailures() {}

  static boolean isThrottling(Throwable e) {
    return e instanceof AwsServiceException ase && (ase.isThrottlingException() || THROTTLING.contains(code(ase)));
  }

  static boolean isRetryable(Throwable e) {
    if (isThrottling(e)) {
      return true;
    }
    if (e instanceof AwsServiceException ase) {
      return ase.statusCode() >= 500;
    }
    // Connection refused, reset or timed out: the service may answer on the next attempt.
    return e instanceof SdkClientException;
  }

  static Outcome outcomeOf(Throwable e) {
    if (isThrottling(e)) {
      return Outcome.THROTTLED;
    }
    if (e instanceof AwsServiceException ase) {
      String code = code(ase);
      if (NO_SUPPORT_PLAN.contains(code)) {
        return Outcome.NO_SUPPORT_PLAN;
      }
      if (ACCESS_DENIED.contains(code) || ase.statusCode() == 403) {
        return Outcome.ACCESS_DENIED;
      }
    }
    return Outcome.ERROR;
  }

  static String reasonOf(String operation, Throwable e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      return operation + ": " + ase.awsErrorDetails().errorCode() + ": " + ase.awsErrorDetails().errorMessage();
    }
    return operation + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String code(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code == null ? "" : code.toLowerCase(Locale.ROOT);
  }
}
