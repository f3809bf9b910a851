package io.casefeed.sink.store;

/**
 * The store refuses the sink for a reason that retrying cannot fix (403 access denied, no such
 * bucket): the sink stops without committing, so nothing is lost once the cause is fixed.
 */
public final class StoreAccessException extends RuntimeException {

  public StoreAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
