package io.casefeed.localcloud.registry;

/** A registry error in Confluent's shape: HTTP status plus {@code error_code} and {@code message}. */
final class RegistryException extends RuntimeException {

  private final int status;
  private final int errorCode;

  RegistryException(int status, int errorCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
  }
}
