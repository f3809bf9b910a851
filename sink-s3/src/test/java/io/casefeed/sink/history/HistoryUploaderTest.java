package io.casefeed.sink.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.sink.format.ChangeRow;
import io.casefeed.sink.testing.Changes;
import io.casefeed.sink.testing.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class HistoryUploaderTest {

  private final InMemoryStore store = new InMemoryStore();
  private final HistoryUploader uploader = new HistoryUploader(store, "p", true, new SimpleMeterRegistry());

  @Test
  void namesObjectsAfterTheFirstOffsetWithTheEndOffsetInMetadata() {
    long stored = uploader.write("t", 3, "2026-11-26", rows(7, 9));

    assertThat(stored).isEqualTo(9);
    String key = "p/case_changes/dt=2026-11-26/t+3+00000000000000000007.parquet";
    assertThat(store.objects).containsKeys(key, "p/case_changes_csv/dt=2026-11-26/t+3+00000000000000000007.csv");
    assertThat(HistoryKeys.endOffset(key, store.objects.get(key).metadata())).isEqualTo(9);
  }

  @Test
  void aReplayCutShorterThanTheExistingObjectWritesNothingAndReportsItsEnd() {
    uploader.write("t", 0, "2026-11-26", rows(0, 9));
    int before = store.objects.size();

    long stored = uploader.write("t", 0, "2026-11-26", rows(0, 4));

    assertThat(stored).isEqualTo(9);
    assertThat(store.objects).hasSize(before);
  }

  @Test
  void aReplayCutLongerWritesOnlyTheRecordsAfterTheExistingObject() {
    uploader.write("t", 0, "2026-11-26", rows(0, 4));

    long stored = uploader.write("t", 0, "2026-11-26", rows(0, 9));

    assertThat(stored).isEqualTo(9);
    String next = "p/case_changes/dt=2026-11-26/t+0+00000000000000000005.parquet";
    assertThat(store.objects).containsKey(next);
    assertThat(store.objects.get(next).metadata()).containsEntry(HistoryKeys.START_OFFSET, "5").containsEntry(HistoryKeys.END_OFFSET, "9")
        .containsEntry(HistoryKeys.RECORDS, "5");
  }

  private static List<ChangeRow> rows(long first, long last) {
    return LongStream.rangeClosed(first, last)
        .mapToObj(o -> new ChangeRow("t", 0, o, 0L, Changes.change((int) o, Instant.EPOCH))).toList();
  }
}
