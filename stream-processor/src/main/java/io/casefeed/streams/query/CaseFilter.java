package io.casefeed.streams.query;

import io.casefeed.schema.CaseState;
import io.casefeed.streams.change.CaseStatuses;
import io.casefeed.streams.pivot.Dimension;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filters, order and page of {@code /api/cases}: a value for any {@link Dimension}
 * ({@code account=...&status=...}), {@code state=open|resolved}, {@code q} (text in the subject,
 * case-insensitive), {@code sort} (created, changed, severity, status, account, subject; a leading
 * '-' for descending; default -created), {@code limit} (1..1000, default 100) and {@code offset}.
 */
public record CaseFilter(Map<Dimension, String> dimensions, Boolean open, String text, String sort, int limit, int offset) {

  public static final int MAX_LIMIT = 1000;
  private static final List<String> SEVERITY_ORDER = List.of("low", "normal", "high", "urgent", "critical");

  /** @throws IllegalArgumentException naming the parameter and what is wrong with it */
  public static CaseFilter parse(Map<String, String> params) {
    Map<Dimension, String> dimensions = new EnumMap<>(Dimension.class);
    for (Dimension dimension : Dimension.values()) {
      String value = params.get(dimension.parameter());
      if (value != null && !value.isEmpty()) {
        dimensions.put(dimension, value);
      }
    }
    Boolean open = null;
    String state = params.get("state");
    if (state != null) {
      open = switch (state) {
        case "open" -> true;
        case "resolved" -> false;
        default -> throw new IllegalArgumentException("state must be open or resolved, not " + state);
      };
    }
    String sort = params.getOrDefault("sort", "-created");
    comparator(sort);
    return new CaseFilter(dimensions, open, params.get("q"), sort,
        intParam(params, "limit", 100, 1, MAX_LIMIT), intParam(params, "offset", 0, 0, Integer.MAX_VALUE));
  }

  public boolean matches(CaseState state) {
    for (Map.Entry<Dimension, String> filter : dimensions.entrySet()) {
      if (!filter.getKey().valueOf(state.getCaseDetails()).equals(filter.getValue())) {
        return false;
      }
    }
    if (open != null && open == CaseStatuses.isResolved(state.getCaseDetails().getStatus())) {
      return false;
    }
    if (text != null && !text.isBlank()) {
      String subject = state.getCaseDetails().getSubject();
      return subject != null && subject.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
    }
    return true;
  }

  public Comparator<CaseState> comparator() {
    return comparator(sort);
  }

  private static Comparator<CaseState> comparator(String sort) {
    boolean descending = sort.startsWith("-");
    String field = descending ? sort.substring(1) : sort;
    Comparator<CaseState> order = switch (field) {
      case "created" -> Comparator.comparing(CaseFilter::createdAt);
      case "changed" -> Comparator.comparing(CaseState::getLastChangedAt);
      case "severity" -> Comparator.comparingInt(s -> SEVERITY_ORDER.indexOf(Dimension.SEVERITY.valueOf(s.getCaseDetails())));
      case "status" -> Comparator.comparing(s -> Dimension.STATUS.valueOf(s.getCaseDetails()));
      case "account" -> Comparator.comparing(CaseState::getAccountId);
      case "subject" -> Comparator.comparing(s -> String.valueOf(s.getCaseDetails().getSubject()));
      default -> throw new IllegalArgumentException("sort must be one of created, changed, severity, status, account, subject (with - for descending), not " + sort);
    };
    // A stable tie-break so that pages do not overlap.
    Comparator<CaseState> byKey = Comparator.comparing(s -> s.getCaseDetails().getCaseId());
    return (descending ? order.reversed() : order).thenComparing(byKey);
  }

  /** When AWS says the case was created, or when casefeed first saw it when AWS's time is unreadable. */
  static Instant createdAt(CaseState state) {
    Instant created = state.getCaseDetails().getTimeCreatedAt();
    return created != null ? created : state.getFirstSeenAt();
  }

  private static int intParam(Map<String, String> params, String name, int defaultValue, int min, int max) {
    String value = params.get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + value);
    }
  }
}
