package io.casefeed.localcloud.protocol;

import java.util.Map;

/** An error an AWS service replies with: its HTTP status, error code and message. */
public final class AwsServiceException extends RuntimeException {

  private final int status;
  private final String code;
  private final Map<String, String> fields;

  public AwsServiceException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /** @param fields members the error shape adds beside its message, e.g. InvalidInputException's {@code Reason} */
  public AwsServiceException(int status, String code, String message, Map<String, String> fields) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.fields = Map.copyOf(fields);
  }

  /** Members of the JSON error body beside {@code __type} and {@code message}. */
  public Map<String, String> fields() {
    return fields;
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
