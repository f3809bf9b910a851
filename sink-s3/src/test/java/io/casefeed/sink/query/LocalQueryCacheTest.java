package io.casefeed.sink.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.sink.history.HistoryKeys;
import io.casefeed.sink.testing.InMemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code casefeed query} downloads S3 objects into a cache; a hostile key must not write anywhere else. */
class LocalQueryCacheTest {

  @TempDir
  Path tmp;

  @Test
  void hostileHistoryKeysAreSkippedAndNothingIsWrittenOutsideTheCache() throws IOException {
    Path cache = tmp.resolve("cache");
    Path outside = tmp.resolve("planted.parquet");
    String root = HistoryKeys.root("casefeed");
    String good = root + "dt=2026-12-03/casefeed.case-changes+0+00000000000000000000.parquet";
    String climbing = root + "../../../" + outside.getFileName();
    String deep = root + "dt=2026-12-03/../../../../../../../../.." + outside.toAbsolutePath();
    String dotted = root + "./dt=x/a.parquet";
    String doubleSlash = root + "dt=x//a.parquet";
    InMemoryStore store = new InMemoryStore();
    for (String key : new String[] {good, climbing, deep, dotted, doubleSlash}) {
      store.put(key, "PAR1".getBytes(StandardCharsets.US_ASCII), "application/octet-stream", Map.of());
    }

    LocalQuery query = new LocalQuery(store, "casefeed", cache);
    query.sync();

    assertThat(outside).doesNotExist();
    assertThat(query.refusedKeys()).containsExactlyInAnyOrder(climbing, deep, dotted, doubleSlash);
    try (Stream<Path> files = Files.walk(tmp)) {
      assertThat(files.filter(Files::isRegularFile))
          .allSatisfy(file -> assertThat(file.toAbsolutePath().normalize()).startsWith(cache.toAbsolutePath()))
          .hasSize(1);
    }
    assertThat(cache.resolve(good)).hasBinaryContent("PAR1".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void keysAreCheckedSegmentBySegment() {
    assertThat(LocalQuery.safeKey("a/b/c.parquet")).isTrue();
    assertThat(LocalQuery.safeKey("a/b/")).isTrue();
    assertThat(LocalQuery.safeKey("a/..b/c")).isTrue();
    assertThat(LocalQuery.safeKey("/etc/passwd")).isFalse();
    assertThat(LocalQuery.safeKey("a/../b")).isFalse();
    assertThat(LocalQuery.safeKey("..")).isFalse();
    assertThat(LocalQuery.safeKey("a/./b")).isFalse();
    assertThat(LocalQuery.safeKey("a\\..\\b")).isFalse();
    assertThat(LocalQuery.safeKey("a/b\u001b[2J")).isFalse();
    assertThat(LocalQuery.safeKey("")).isFalse();
  }

  @Test
  void anUnsafeKeyNeverResolves() {
    LocalQuery query = new LocalQuery(new InMemoryStore(), "casefeed", tmp.resolve("cache"));
    assertThatThrownBy(() -> query.local("casefeed/../../x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would leave the local cache");
  }
}
