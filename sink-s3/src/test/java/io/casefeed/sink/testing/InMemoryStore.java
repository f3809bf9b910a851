package io.casefeed.sink.testing;

import io.casefeed.sink.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A fake {@link ObjectStore} for unit tests: objects in a sorted map. */
public final class InMemoryStore implements ObjectStore {

  public record Stored(byte[] content, Map<String, String> metadata) {}

  public final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();

  @Override
  public synchronized Optional<Map<String, String>> createIfAbsent(String key, byte[] content, String contentType, Map<String, String> metadata) {
    Stored existing = objects.putIfAbsent(key, new Stored(content, metadata));
    return existing == null ? Optional.empty() : Optional.of(existing.metadata());
  }

  @Override
  public void put(String key, byte[] content, String contentType, Map<String, String> metadata) {
    objects.put(key, new Stored(content, metadata));
  }

  @Override
  public Optional<Map<String, String>> metadata(String key) {
    return Optional.ofNullable(objects.get(key)).map(Stored::metadata);
  }

  @Override
  public List<StoredObject> list(String prefix) {
    return objects.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix))
        .map(e -> new StoredObject(e.getKey(), e.getValue().content().length)).toList();
  }

  @Override
  public void download(String key, Path target) {
    try {
      Files.createDirectories(target.getParent());
      Files.write(target, objects.get(key).content());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
