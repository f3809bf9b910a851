package io.casefeed.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.channel.ChannelKind;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Posts are judged as mails are: once, none skipped, a second copy forgiven only for a SIGKILL in its window. */
class ChannelPostCheckerTest {

  private static final Instant T0 = Instant.parse("2026-12-04T22:00:00Z");
  private static final String CHECK = ChannelPostChecker.check(ChannelKind.SLACK);
  private static final String ID = "alert|2026-12-04T21:59:55Z|ops|slack:oncall";

  private static ChannelPostChecker.Copy copy(Instant at) {
    return new ChannelPostChecker.Copy(ID, at);
  }

  @Test
  void aLedgerRecipientNamesItsChannelAndAMailRecipientNone() {
    assertThat(ChannelPostChecker.kindOf("slack:oncall")).contains(ChannelKind.SLACK);
    assertThat(ChannelPostChecker.kindOf("sns:pager")).contains(ChannelKind.SNS);
    assertThat(ChannelPostChecker.kindOf("ops@example.com")).isEmpty();
    assertThat(ChannelPostChecker.kindOf("x:y@example.com")).as("an address with a colon is still mail").isEmpty();
    assertThat(ChannelPostChecker.kindOf("carrier-pigeon:loft")).isEmpty();
    assertThat(ChannelPostChecker.kindOf(null)).isEmpty();
  }

  @Test
  void onePostRecordedSentAndArrivedOnceIsFine() {
    Verdict verdict = new Verdict();
    ChannelPostChecker.judge(verdict, CHECK, ID, Set.of("intended", "sent"), List.of(copy(T0)), List.of());
    assertThat(verdict.violationCount()).isZero();
  }

  @Test
  void aSecondCopyAfterAKillInTheWindowIsCountedApartAndWithoutOneIsADuplicate() {
    Verdict forgiven = new Verdict();
    ChannelPostChecker.judge(forgiven, CHECK, ID, Set.of("intended", "sent"), List.of(copy(T0.plusSeconds(8)), copy(T0)),
        List.of(T0.plusMillis(40)));
    assertThat(forgiven.violationCount()).isZero();
    assertThat(forgiven.row(CHECK).resentAfterKill).isEqualTo(1);

    Verdict duplicate = new Verdict();
    ChannelPostChecker.judge(duplicate, CHECK, ID, Set.of("intended", "sent"), List.of(copy(T0), copy(T0.plusSeconds(8))),
        List.of(T0.plusSeconds(30)));
    assertThat(duplicate.row(CHECK).duplicated).isEqualTo(1);
    assertThat(duplicate.violations()).singleElement().asString().contains("arrived 2 times");
  }

  @Test
  void aPostNeverRecordedSentOrSentButNeverArrivedIsLost() {
    Verdict unrecorded = new Verdict();
    ChannelPostChecker.judge(unrecorded, CHECK, ID, Set.of("intended"), List.of(copy(T0)), List.of());
    assertThat(unrecorded.row(CHECK).lost).isEqualTo(1);

    Verdict missing = new Verdict();
    ChannelPostChecker.judge(missing, CHECK, ID, Set.of("intended", "sent"), List.of(), List.of());
    assertThat(missing.violations()).singleElement().asString().contains("recorded sent but never arrived");
  }
}
