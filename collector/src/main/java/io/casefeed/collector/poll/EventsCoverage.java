package io.casefeed.collector.poll;

/**
 * What an account's sweep record says of its AWS Support events while events are on, so the
 * dashboard and any reader of {@code casefeed.sweeps} see an account whose events stopped.
 */
@FunctionalInterface
public interface EventsCoverage {

  /** Events arrive for the account; its fast poll runs at the events interval, as the net. */
  String FLOWING = "flowing";
  /** Its events stopped (too many changes no event announced); it is polled at the plain fast interval. */
  String FALLEN_BACK = "fallen-back";

  /** @return {@link #FLOWING} or {@link #FALLEN_BACK} */
  String of(String accountId);
}
