package io.casefeed.bench.cost;

import io.casefeed.notifier.view.CaseBook;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.Communication;
import io.casefeed.schemas.CaseKeys;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The notifier's case book alone, at the size of an organisation (#19): fills a book with
 * {@code accounts × casesPerAccount} cases and one change each, as AWS-shaped records (five recent
 * communications, cc addresses, each record with strings of its own as when decoded from a topic),
 * then prints the live heap after a full GC. {@code records} keeps them as the notifier did before
 * #19 (the case records and the change records themselves); {@code summaries} uses {@link CaseBook}.
 * Run each in its own JVM with a container's heap, e.g.
 * {@code java -XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -cp ... CaseBookHeap summaries 1000 100}.
 */
public final class CaseBookHeap {

  private static final DateTimeFormatter AWS_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Instant T = Instant.parse("2026-11-26T08:00:00Z");
  private static final String[] STATUSES = {"opened", "work-in-progress", "pending-customer-action", "resolved", "resolved"};
  private static final String[] SEVERITIES = {"low", "normal", "high", "urgent", "critical"};

  private CaseBookHeap() {}

  public static void main(String[] args) {
    String mode = args[0];
    int accounts = Integer.parseInt(args[1]);
    int perAccount = Integer.parseInt(args[2]);
    long baseline = liveHeap();
    Object kept;
    if (mode.equals("records")) {
      Map<String, CaseState> cases = new HashMap<>();
      List<CaseChange> changes = new ArrayList<>();
      Set<String> changeIds = new HashSet<>();
      for (int i = 0; i < accounts * perAccount; i++) {
        CaseState state = state(i, accounts);
        cases.put(CaseKeys.of(state.getAccountId(), state.getCaseDetails().getCaseId()), state);
        CaseChange change = change(i, accounts);
        changes.add(change);
        changeIds.add(change.getEventId());
      }
      kept = List.of(cases, changes, changeIds);
    } else {
      CaseBook book = new CaseBook(3);
      for (int i = 0; i < accounts * perAccount; i++) {
        CaseState state = state(i, accounts);
        book.onCase(CaseKeys.of(state.getAccountId(), state.getCaseDetails().getCaseId()), state);
        book.onChange(change(i, accounts));
      }
      kept = book;
    }
    long live = liveHeap() - baseline;
    long max = Runtime.getRuntime().maxMemory();
    System.out.printf(Locale.ROOT, "mode=%s cases=%d live=%.1f MB (%d bytes per case and its change) heap max=%.0f MB kept=%s%n",
        mode, accounts * perAccount, live / 1e6, live / ((long) accounts * perAccount), max / 1e6,
        kept.getClass().getSimpleName());
  }

  private static long liveHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static CaseState state(int i, int accounts) {
    CaseDetails d = details(i, accounts);
    Instant created = d.getTimeCreatedAt();
    String status = d.getStatus();
    return CaseState.newBuilder().setAccountId(d.getAccountId()).setCaseDetails(d).setVersion(3).setLastChangeType("STATUS_CHANGED")
        .setBackfill(false).setFirstSeenAt(created).setLastChangedAt(created.plusSeconds(600)).setLastObservedAt(T)
        .setResolvedAt("resolved".equals(status) ? created.plusSeconds(7_200) : null).setReopenCount(0)
        .setFirstAwsResponseAt(created.plusSeconds(900)).setTimeToFirstAwsResponseMs(900_000L)
        .setWaitingOnCustomerSince("pending-customer-action".equals(status) ? created.plusSeconds(1_800) : null)
        .setTimeToResolveMs("resolved".equals(status) ? 7_200_000L : null).build();
  }

  private static CaseChange change(int i, int accounts) {
    CaseDetails current = details(i, accounts);
    return CaseChange.newBuilder().setEventId(current.getCaseId() + ":" + (3 + i % 7) + ":STATUS_CHANGED")
        .setAccountId(current.getAccountId()).setCaseId(current.getCaseId()).setChangeType("STATUS_CHANGED")
        .setChangedFields(List.of("status")).setVersion(3).setObservedAt(T.minusSeconds(i % 86_400)).setBackfill(false)
        .setPrevious(details(i, accounts)).setCurrent(current).build();
  }

  private static CaseDetails details(int i, int accounts) {
    String account = String.format(Locale.ROOT, "%012d", 100_000_000_000L + i % accounts);
    Instant created = T.minusSeconds(600L * i);
    List<Communication> communications = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      communications.add(Communication.newBuilder()
          .setBody(("Hello, thank you for contacting AWS Support about case " + i + ". We looked at the instance's "
              + "system log and the status checks; please send the output of the commands below. ").repeat(3))
          .setSubmittedBy(c % 2 == 0 ? "Amazon Web Services" : "ops@example.com")
          .setTimeCreated(AWS_TIME.format(created.plusSeconds(600L * c))).setTimeCreatedAt(created.plusSeconds(600L * c))
          .setAttachmentCount(0).build());
    }
    return CaseDetails.newBuilder().setAccountId(account)
        .setCaseId(String.format(Locale.ROOT, "case-%s-muen-2026-%016x", account, 0x7c2e4ac0d4e86a8fL + i))
        .setDisplayId(Long.toString(17_000_000_000L + i))
        .setSubject("EC2 instance i-0" + Integer.toHexString(0x5a5a5a + i) + " unreachable after a kernel update in eu-west-1")
        .setStatus(STATUSES[i % STATUSES.length]).setServiceCode("amazon-elastic-compute-cloud-linux")
        .setCategoryCode("instance-issue").setSeverityCode(SEVERITIES[i % SEVERITIES.length])
        .setSubmittedBy("ops@example.com").setTimeCreated(AWS_TIME.format(created)).setTimeCreatedAt(created)
        .setCcEmailAddresses(List.of("oncall@example.com", "team-lead@example.com")).setLanguage("en")
        .setRecentCommunications(communications).setRecentCommunicationsNextToken(null).build();
  }
}
