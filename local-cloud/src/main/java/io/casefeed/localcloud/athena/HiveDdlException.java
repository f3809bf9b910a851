package io.casefeed.localcloud.athena;

/** A statement the stand-in refuses or cannot parse; its message becomes the query's StateChangeReason. */
final class HiveDdlException extends RuntimeException {

  HiveDdlException(String message) {
    super(message);
  }
}
