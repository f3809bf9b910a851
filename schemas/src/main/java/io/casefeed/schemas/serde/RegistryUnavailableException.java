package io.casefeed.schemas.serde;

/**
 * The schema registry was still unavailable after the retries of one round: the record that
 * needed it is not bad, and must be read again later rather than dead-lettered.
 */
public final class RegistryUnavailableException extends RuntimeException {

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
