package io.casefeed.streams.change;

import java.util.Locale;

/** The AWS Support status values the lifecycle depends on; any other value is an open status. */
public final class CaseStatuses {

  public static final String RESOLVED = "resolved";
  public static final String REOPENED = "reopened";
  public static final String PENDING_CUSTOMER_ACTION = "pending-customer-action";
  public static final String CUSTOMER_ACTION_COMPLETED = "customer-action-completed";

  private CaseStatuses() {}

  public static boolean isResolved(CharSequence status) {
    return status != null && RESOLVED.equals(status.toString().toLowerCase(Locale.ROOT));
  }

  public static boolean is(CharSequence status, String expected) {
    return status != null && expected.equals(status.toString().toLowerCase(Locale.ROOT));
  }
}
