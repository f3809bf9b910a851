package io.casefeed.schemas.serde;

import io.casefeed.schemas.registry.SchemaRegistryException;
import java.io.IOException;

/**
 * Tells a schema registry outage from a record that is bad, for every consumer that decodes: an
 * outage says nothing about the record (retry it later, never dead-letter it); anything else that
 * fails to decode is the record's fault (dead-letter it).
 *
 * <p>An outage is a registry that cannot be reached or times out, answers 5xx, 408 or 429, refuses
 * casefeed's credentials (401/403: the same record decodes once the operator fixes them), or
 * answers something that is not the registry's JSON (a proxy's HTML page). A 404 (unknown schema
 * id), a schema that is not Avro, or bytes that do not match their schema are the record's.
 */
public final class RegistryFailures {

  private RegistryFailures() {}

  /** Whether {@code error}, or any of its causes, is the registry being unavailable. */
  public static boolean isOutage(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RegistryUnavailableException) {
        return true;
      }
      if (cause instanceof SchemaRegistryException registryError) {
        return isOutage(registryError);
      }
    }
    return false;
  }

  private static boolean isOutage(SchemaRegistryException error) {
    int status = error.httpStatus();
    if (status < 0 || status >= 500 || status == 401 || status == 403 || status == 408 || status == 429) {
      return true;
    }
    // A reply that is not the registry's JSON (HTML from a proxy, a truncated body): the client
    // keeps the parse error as the cause. Its own complaints about a well-formed reply have none.
    return error.getCause() instanceof IOException;
  }
}
