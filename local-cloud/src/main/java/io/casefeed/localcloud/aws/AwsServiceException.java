package io.casefeed.localcloud.aws;

/** An error an AWS service replies with: its HTTP status, error code and message. */
public final class AwsServiceException extends RuntimeException {

  private final int status;
  private final String code;

  public AwsServiceException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static AwsServiceException validation(String message) {
    return new AwsServiceException(400, "ValidationException", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Query protocol's Type: Sender for the caller's mistakes, Receiver for the service's. */
  public String faultType() {
    return status >= 500 ? "Receiver" : "Sender";
  }
}
