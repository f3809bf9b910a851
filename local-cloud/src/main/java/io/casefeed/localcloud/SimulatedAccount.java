package io.casefeed.localcloud;

/**
 * A member (or the management) account of the simulated organisation and its traits.
 *
 * @param status "ACTIVE" or "SUSPENDED", as Organizations reports it
 * @param supportPlan false: every Support call gets SubscriptionRequiredException
 * @param hasRole false: AssumeRole into this account is denied
 * @param hot an account with many cases (more than three pages in two languages)
 */
public record SimulatedAccount(String id, String name, String status, boolean supportPlan, boolean hasRole, boolean hot) {

  public static final String ACTIVE = "ACTIVE";
  public static final String SUSPENDED = "SUSPENDED";

  public boolean active() {
    return ACTIVE.equals(status);
  }
}
