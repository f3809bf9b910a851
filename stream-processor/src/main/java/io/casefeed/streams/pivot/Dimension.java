package io.casefeed.streams.pivot;

import io.casefeed.schema.CaseDetails;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** A dimension of the pivot: one field of a case that cases are counted by. */
public enum Dimension {
  ACCOUNT(d -> d.getAccountId()),
  STATUS(CaseDetails::getStatus),
  SEVERITY(CaseDetails::getSeverityCode),
  SERVICE(CaseDetails::getServiceCode),
  LANGUAGE(CaseDetails::getLanguage);

  /** The value standing for a field AWS left empty, so the case still counts. */
  public static final String UNKNOWN = "unknown";

  private final Function<CaseDetails, String> field;

  Dimension(Function<CaseDetails, String> field) {
    this.field = field;
  }

  public String valueOf(CaseDetails details) {
    String value = field.apply(details);
    return value == null || value.isBlank() ? UNKNOWN : value;
  }

  /** The name used in URLs: account, status, severity, service, language. */
  public String parameter() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Dimension> fromParameter(String parameter) {
    for (Dimension dimension : values()) {
      if (dimension.parameter().equals(parameter)) {
        return Optional.of(dimension);
      }
    }
    return Optional.empty();
  }
}
