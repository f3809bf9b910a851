package io.casefeed.sink.history;

import java.util.Locale;
import java.util.Map;

/**
 * Names and metadata of change-history objects: {@code
 * <prefix>/case_changes/dt=YYYY-MM-DD/<topic>+<partition>+<start offset, 20 digits>.parquet} and
 * the CSV twin under {@code <prefix>/case_changes_csv/} with the same rest. The
 * name is a function of the first record alone, so a replay after a crash names its object the
 * same and finds the one already written.
 */
public final class HistoryKeys {

  public static final String START_OFFSET = "casefeed-start-offset";
  public static final String END_OFFSET = "casefeed-end-offset";
  public static final String RECORDS = "casefeed-records";
  public static final String TOPIC = "casefeed-topic";
  public static final String PARTITION = "casefeed-partition";

  private HistoryKeys() {}

  public static String root(String prefix) {
    return (prefix.isEmpty() ? "" : prefix + "/") + "case_changes/";
  }

 /** Where the optional CSV twins go: a folder of their own, since an Athena table reads every file of its folder. */
  public static String csvRoot(String prefix) {
    return (prefix.isEmpty() ? "" : prefix + "/") + "case_changes_csv/";
  }

  public static String key(String prefix, String day, String topic, int partition, long startOffset, String extension) {
    return ("csv".equals(extension) ? csvRoot(prefix) : root(prefix)) + "dt=" + day + "/" + topic + "+" + partition + "+" + String.format(Locale.ROOT, "%020d", startOffset) + "." + extension;
  }

  public static Map<String, String> metadata(String topic, int partition, long startOffset, long endOffset, int records) {
    return Map.of(TOPIC, topic, PARTITION, Integer.toString(partition), START_OFFSET, Long.toString(startOffset),
        END_OFFSET, Long.toString(endOffset), RECORDS, Integer.toString(records));
  }

  /** The end offset recorded on an object; S3 returns user metadata keys in lower case. */
  public static long endOffset(String key, Map<String, String> metadata) {
    for (var entry : metadata.entrySet()) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(END_OFFSET)) {
        return Long.parseLong(entry.getValue());
      }
    }
    throw new IllegalStateException(key + " has no " + END_OFFSET + " metadata: it was not written by casefeed's sink");
  }
}
