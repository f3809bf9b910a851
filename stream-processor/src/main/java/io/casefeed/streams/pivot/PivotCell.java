package io.casefeed.streams.pivot;

import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseDetails;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * One cell of the fine-grained pivot: a value for every {@link Dimension}. Its key
 * {@code <accountId>|<status>|<severity>|<service>|<language>} is the key of casefeed.case-counts;
 * coarser pivots are sums over these cells.
 */
public record PivotCell(String account, String status, String severity, String service, String language) {

  private static final String SEPARATOR = "|";

  public static PivotCell of(CaseDetails details) {
    return new PivotCell(
        Dimension.ACCOUNT.valueOf(details), Dimension.STATUS.valueOf(details), Dimension.SEVERITY.valueOf(details),
        Dimension.SERVICE.valueOf(details), Dimension.LANGUAGE.valueOf(details));
  }

  public static PivotCell parse(String key) {
    String[] parts = key.split("\\|", -1);
    if (parts.length != 5) {
      throw new IllegalArgumentException("not a pivot cell key: " + key);
    }
    return new PivotCell(parts[0], parts[1], parts[2], parts[3], parts[4]);
  }

  public String key() {
    return String.join(SEPARATOR, account, status, severity, service, language);
  }

  public String value(Dimension dimension) {
    return switch (dimension) {
      case ACCOUNT -> account;
      case STATUS -> status;
      case SEVERITY -> severity;
      case SERVICE -> service;
      case LANGUAGE -> language;
    };
  }

  public Map<Dimension, String> values() {
    Map<Dimension, String> values = new EnumMap<>(Dimension.class);
    for (Dimension dimension : Dimension.values()) {
      values.put(dimension, value(dimension));
    }
    return values;
  }

  public CaseCount toCount(long count, Instant updatedAt) {
    return new CaseCount(account, status, severity, service, language, count, updatedAt);
  }
}
