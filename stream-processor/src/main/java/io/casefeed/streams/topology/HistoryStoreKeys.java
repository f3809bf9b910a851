package io.casefeed.streams.topology;

import java.util.Locale;

/** Keys of the {@link StoreNames#CASE_HISTORY} store: {@code <caseKey>|<version, 19 digits>}. */
public final class HistoryStoreKeys {

  private HistoryStoreKeys() {}

  /** Zero-padded so that a prefix scan returns a case's changes in version order. */
  public static String of(String caseKey, long version) {
    return prefix(caseKey) + String.format(Locale.ROOT, "%019d", version);
  }

  public static String prefix(String caseKey) {
    return caseKey + "|";
  }
}
