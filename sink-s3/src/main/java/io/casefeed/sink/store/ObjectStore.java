package io.casefeed.sink.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The S3 side of the sink, small enough for a test to replace. Keys are relative to the bucket. */
public interface ObjectStore {

  /**
   * Creates the object unless one with that key already exists.
   *
   * @return empty when this call created it; otherwise the existing object's user metadata
   */
  Optional<Map<String, String>> createIfAbsent(String key, byte[] content, String contentType, Map<String, String> metadata);

  /** Writes the object, replacing any with that key. */
  void put(String key, byte[] content, String contentType, Map<String, String> metadata);

  /** The user metadata of the object, or empty when there is none with that key. */
  Optional<Map<String, String>> metadata(String key);

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<StoredObject> list(String prefix);

  /** Downloads the object to {@code target}, replacing it. */
  void download(String key, Path target);

  record StoredObject(String key, long size) {}
}
