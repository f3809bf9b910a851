package io.casefeed.localcloud;

import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * AWS Support's published first-response targets by severity and support plan, and typical times to resolve,
 * which the simulated organisation's history follows so that the demo's trends look like a real organisation's
 * (a critical case answered within minutes, most cases resolved within days).
 *
 * <p>Targets as AWS publishes them: general guidance (low) 24 h, system impaired (normal) 12 h, production system
 * impaired (high) 4 h, production system down (urgent) 1 h, business-critical system down (critical) 30 min on
 * Enterprise On-Ramp and 15 min on Enterprise; Business offers no critical severity. Resolution times are not
 * published: the medians below are this simulation's choice, spread log-normally so that a few cases take weeks.
 */
final class ResponseTargets {

  /** The paid plans that include the Support API. */
  enum Plan { BUSINESS, ENTERPRISE_ON_RAMP, ENTERPRISE }

  private static final Map<String, Duration> FIRST_RESPONSE = Map.of(
      "low", Duration.ofHours(24), "normal", Duration.ofHours(12), "high", Duration.ofHours(4), "urgent", Duration.ofHours(1));
  private static final Map<String, Duration> MEDIAN_RESOLUTION = Map.of(
      "low", Duration.ofDays(6), "normal", Duration.ofDays(4), "high", Duration.ofDays(2), "urgent", Duration.ofDays(1),
      "critical", Duration.ofHours(12));
  /** Spread of resolution times: with sigma 1, about one case in twenty takes more than five times the median. */
  private static final double RESOLUTION_SIGMA = 1.0;
  /** Share of cases whose first response misses the target (by up to the target again). */
  private static final double MISSED_TARGET = 0.05;

  private ResponseTargets() {}

  /** A stable plan per account: most on Business, some on Enterprise On-Ramp, a few on Enterprise. */
  static Plan planOf(String accountId) {
    int bucket = Math.floorMod(accountId.hashCode(), 20);
    return bucket < 12 ? Plan.BUSINESS : bucket < 17 ? Plan.ENTERPRISE_ON_RAMP : Plan.ENTERPRISE;
  }

  /** The severity a case of the plan can have: Business has no critical, so such a case is opened as urgent. */
  static String offered(String severity, Plan plan) {
    return "critical".equals(severity) && plan == Plan.BUSINESS ? "urgent" : severity;
  }

  /** AWS's first-response target for the severity on the plan. */
  static Duration target(String severity, Plan plan) {
    if ("critical".equals(severity)) {
      return plan == Plan.ENTERPRISE ? Duration.ofMinutes(15) : plan == Plan.ENTERPRISE_ON_RAMP ? Duration.ofMinutes(30) : Duration.ofHours(1);
    }
    Duration target = FIRST_RESPONSE.get(severity);
    if (target == null) {
      throw new IllegalArgumentException("no response target for severity " + severity);
    }
    return target;
  }

  /** How long one case waits for its first answer: mostly well within the target, sometimes past it. */
  static Duration firstResponse(String severity, Plan plan, Random random) {
    double share = random.nextDouble() < MISSED_TARGET ? 1 + random.nextDouble() : 0.1 + 0.9 * random.nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (target(severity, plan).toMillis() * share)));
  }

  /** How long one case takes to be resolved, log-normal around the severity's median. */
  static Duration timeToResolve(String severity, Random random) {
    Duration median = MEDIAN_RESOLUTION.get(severity);
    if (median == null) {
      throw new IllegalArgumentException("no resolution time for severity " + severity);
    }
    return Duration.ofMillis(Math.max(60_000, (long) (median.toMillis() * Math.exp(RESOLUTION_SIGMA * random.nextGaussian()))));
  }
}
