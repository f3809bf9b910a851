package io.casefeed.collector.poll;

/** Ends an account's poll with a non-ok outcome; the other accounts carry on. */
public final class PollFailure extends Exception {

  private final Outcome outcome;

  public PollFailure(Outcome outcome, String reason, Throwable cause) {
    super(reason, cause);
    this.outcome = outcome;
  }

  public Outcome outcome() {
    return outcome;
  }
}
