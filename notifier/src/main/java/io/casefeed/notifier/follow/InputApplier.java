package io.casefeed.notifier.follow;

import io.casefeed.notifier.alert.AlertBatcher;
import io.casefeed.notifier.alert.AlertRules;
import io.casefeed.notifier.resend.FailedMail;
import io.casefeed.notifier.resend.Resends;
import io.casefeed.notifier.view.CaseBook;
import io.casefeed.schemas.CaseKeys;
import io.casefeed.schemas.privacy.PersonalData;
import java.time.Instant;
import java.util.Optional;

/**
 * What one followed record changes in the notifier's memory: the case book, the pending alerts and
 * the kept failed mails. No I/O: what is to be done outside (an operator's give-up to record) is
 * returned, so the same input always leaves the same state, at start and while running.
 */
public final class InputApplier {

  private final PersonalData privacy;
  private final CaseBook book;
  private final AlertRules rules;
  private final AlertBatcher batcher;
  private final Resends resends;

  public InputApplier(PersonalData privacy, CaseBook book, AlertRules rules, AlertBatcher batcher, Resends resends) {
    this.privacy = privacy;
    this.book = book;
    this.rules = rules;
    this.batcher = batcher;
    this.resends = resends;
  }

  /**
   * Applies {@code input}, read at {@code now}.
   *
   * @return a kept failed mail that an operator gave up on (its tombstone arrived), for the ledger to record
   */
  public Optional<FailedMail> apply(NotifierInput input, Instant now) {
    if (input instanceof NotifierInput.CaseUpdate update) {
      book.onCase(update.key(), privacy.apply(update.state()));
      if (update.state() == null && update.key() != null) {
        // Erased: no pending alert may carry it.
        batcher.forgetCase(CaseKeys.accountId(update.key()), CaseKeys.caseId(update.key()));
      }
    } else if (input instanceof NotifierInput.AccountUpdate update) {
      book.onAccount(update.key(), update.account());
    } else if (input instanceof NotifierInput.Sweep sweep) {
      if (sweep.sweep() != null) {
        book.coverage().onSweep(sweep.sweep()).ifPresent(t -> batcher.add(rules.unreadable(t), now));
      }
    } else if (input instanceof NotifierInput.Change change) {
      if (change.change() != null) {
        var seen = privacy.apply(change.change());
        book.onChange(seen);
        rules.fromChange(seen).ifPresent(event -> batcher.add(event, now));
      }
    } else if (input instanceof NotifierInput.KeptMail kept) {
      // A tombstone for a mail still kept here is an operator's give-up.
      return resends.apply(kept.mailId(), kept.mail());
    }
    return Optional.empty();
  }
}
