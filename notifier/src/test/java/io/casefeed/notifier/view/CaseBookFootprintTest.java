package io.casefeed.notifier.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.notifier.testing.Cases;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.Communication;
import io.casefeed.schemas.CaseKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * What the case book retains per case, measured with JOL (the whole object graph, shared strings
 * counted once). At 1,000 accounts (~100,000 cases, one change per case in a digest period) the
 * notifier has about 256 MB of heap for everything; the book must stay well inside it (#19).
 */
class CaseBookFootprintTest {

  private static final int CASES = 1_000;
  private static final int ACCOUNTS = 20;
  private static final Instant T = Instant.parse("2026-11-26T08:00:00Z");
  /** Per case and its one change: 100,000 cases then take at most ~100 MB. */
  private static final long BOUND_BYTES_PER_CASE = 1_024;

  private static final List<CaseState> STATES = new ArrayList<>();
  private static final List<CaseChange> CHANGES = new ArrayList<>();

  @BeforeAll
  static void organisation() {
    // JOL reads field offsets through Unsafe, which refuses records; this makes it find them itself.
    System.setProperty("jol.magicFieldOffset", "true");
    // The Serviceability Agent would only confirm what the running VM's layout already tells, slowly.
    System.setProperty("jol.skipHotspotSAAttach", "true");
    for (int i = 0; i < CASES; i++) {
      Instant created = T.minusSeconds(3_600L * i);
      // Each record decoded from its topic has strings of its own: build them anew for each.
      STATES.add(Cases.state(details(i), created, false, null));
      CHANGES.add(Cases.change("STATUS_CHANGED", details(i), details(i), created.plusSeconds(60), false));
    }
  }

  /** A case as AWS gives it: its last communications (up to 5) and cc addresses ride along. */
  private static CaseDetails details(int i) {
    String[] statuses = {"opened", "work-in-progress", "pending-customer-action", "resolved"};
    String[] severities = {"low", "normal", "high", "urgent", "critical"};
    String account = String.format(Locale.ROOT, "%012d", 100_000_000_000L + i % ACCOUNTS);
    Instant created = T.minusSeconds(3_600L * i);
    CaseDetails plain = Cases.details(account, Long.toString(17_000_000_000L + i),
        "EC2 instance i-0" + Integer.toHexString(0x5a5a5a + i) + " unreachable after a kernel update in eu-west-1",
        statuses[i % statuses.length], severities[i % severities.length], created);
    List<Communication> communications = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      communications.add(Communication.newBuilder()
          .setBody(("Hello, thank you for contacting AWS Support about case " + i + ". We looked at the instance's "
              + "system log and the status checks; please send the output of the commands below. ").repeat(3))
          .setSubmittedBy(c % 2 == 0 ? "Amazon Web Services" : "ops@example.com")
          .setTimeCreated(Cases.AWS_TIME.format(created.plusSeconds(600L * c)))
          .setTimeCreatedAt(created.plusSeconds(600L * c))
          .setAttachmentCount(0)
          .build());
    }
    return CaseDetails.newBuilder(plain)
        .setCcEmailAddresses(List.of("oncall@example.com", "team-lead@example.com"))
        .setRecentCommunications(communications)
        .build();
  }

  @Test
  void theBookKeepsLessThanAKilobytePerCase() {
    CaseBook book = new CaseBook(3);
    for (int i = 0; i < CASES; i++) {
      CaseState state = STATES.get(i);
      book.onCase(CaseKeys.of(state.getAccountId(), state.getCaseDetails().getCaseId()), state);
      book.onChange(CHANGES.get(i));
    }
    long perCase = GraphLayout.parseInstance(book).totalSize() / CASES;
    System.out.printf(Locale.ROOT, "case book: %d bytes per case and its change%n", perCase);
    assertThat(book.cases()).hasSize(CASES);
    assertThat(perCase).as("bytes retained per case by the book").isLessThan(BOUND_BYTES_PER_CASE);
  }

  /** The representation the book had before #19, measured the same way: the bound is not trivially met. */
  @Test
  void wholeRecordsWouldNotFitTheBound() {
    Map<String, CaseState> cases = new HashMap<>();
    List<CaseChange> changes = new ArrayList<>();
    Set<String> changeIds = new HashSet<>();
    for (int i = 0; i < CASES; i++) {
      CaseState state = STATES.get(i);
      cases.put(CaseKeys.of(state.getAccountId(), state.getCaseDetails().getCaseId()), state);
      changes.add(CHANGES.get(i));
      changeIds.add(CHANGES.get(i).getEventId());
    }
    long perCase = GraphLayout.parseInstance(cases, changes, changeIds).totalSize() / CASES;
    System.out.printf(Locale.ROOT, "whole records: %d bytes per case and its change%n", perCase);
    assertThat(perCase).isGreaterThan(BOUND_BYTES_PER_CASE * 2);
  }

  @Test
  void aSummaryGivesTheAttachmentTheSameRowAsTheRecord() {
    CaseState state = STATES.get(7);
    CaseState back = CaseSummary.of(state).toCaseState();
    assertThat(io.casefeed.schemas.table.CaseListCsv.csv(List.of(back)))
        .isEqualTo(io.casefeed.schemas.table.CaseListCsv.csv(List.of(state)));
  }
}
