package io.casefeed.localcloud;

import java.util.List;
import java.util.Map;

/**
 * What is persisted under the data dir so a restart continues the same organisation.
 *
 * @param throttledAccounts accounts with the scenario's standing throttle
 * @param eventCounter lifecycle events applied so far; seeds the next event's randomness
 */
record OrganisationState(
    Scenario scenario,
    String managementAccountId,
    List<SimulatedAccount> accounts,
    Map<String, List<SimulatedCase>> cases,
    List<String> throttledAccounts,
    long nextDisplayId,
    long eventCounter) {
}
