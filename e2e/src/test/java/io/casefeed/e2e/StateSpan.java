package io.casefeed.e2e;

import java.time.Instant;

/** One state of one case in local-cloud's ground truth and how long it lasted, as sampled. */
record StateSpan(String fingerprint, Instant from, Instant to) {

  Interval interval() {
    return new Interval(from, to);
  }
}
