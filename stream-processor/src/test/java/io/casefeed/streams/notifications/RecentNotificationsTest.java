package io.casefeed.streams.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.schema.NotificationRecord;
import io.casefeed.schemas.privacy.PersonalData;
import io.casefeed.schemas.privacy.PersonalData.Treatment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentNotificationsTest {

  private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

  private static NotificationRecord record(String id, String recipient, String stage, int minute, String error) {
    return NotificationRecord.newBuilder().setMailId(id).setKind(id.startsWith("digest") ? "digest" : "alert").setStage(stage)
        .setRecipientGroup("prod").setRecipient(recipient).setPeriod(T0.toString()).setSubject("[casefeed] Payments down")
        .setSesMessageId(null).setError(error).setRecordedAt(T0.plusSeconds(60L * minute)).build();
  }

  private static RecentNotifications.Target target(List<RecentNotifications.Target> targets, String name) {
    return targets.stream().filter(t -> t.target().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void eachTargetListsItsLatestRecordPerNotificationNewestFirstWithCountsByStage() {
    RecentNotifications view = new RecentNotifications(10);
    view.apply("alert|1|slack:oncall", record("alert|1|slack:oncall", "slack:oncall", "intended", 0, null));
    view.apply("alert|1|slack:oncall", record("alert|1|slack:oncall", "slack:oncall", "sent", 1, null));
    view.apply("alert|2|slack:oncall", record("alert|2|slack:oncall", "slack:oncall", "intended", 2, null));
    view.apply("alert|1|ops@example.com", record("alert|1|ops@example.com", "ops@example.com", "sent", 1, null));

    List<RecentNotifications.Target> targets = view.targets(PersonalData.KEEP_ALL);

    assertThat(targets).extracting(RecentNotifications.Target::channel).containsExactly("email", "slack");
    RecentNotifications.Target slack = target(targets, "slack:oncall");
    assertThat(slack.stages()).isEqualTo(Map.of("sent", 1, "intended", 1));
    assertThat(slack.recent()).extracting(RecentNotifications.Entry::stage).containsExactly("intended", "sent");
    assertThat(slack.refusing()).isFalse();
    assertThat(slack.lastError()).isNull();
  }

  @Test
  void aTargetWhoseLatestCompletionWasRejectedIsRefusingAndListedFirstUntilAPostGoesThrough() {
    RecentNotifications view = new RecentNotifications(10);
    view.apply("a|1|sns:pager", record("a|1|sns:pager", "sns:pager", "sent", 0, null));
    view.apply("a|1|webhook:tickets", record("a|1|webhook:tickets", "webhook:tickets", "sent", 0, null));
    view.apply("a|2|webhook:tickets", record("a|2|webhook:tickets", "webhook:tickets", "rejected", 5,
        "rejected: webhook:tickets answered HTTP 410"));
    view.apply("a|3|webhook:tickets", record("a|3|webhook:tickets", "webhook:tickets", "intended", 6, null));

    RecentNotifications.Target refusing = view.targets(PersonalData.KEEP_ALL).get(0);
    assertThat(refusing.target()).isEqualTo("webhook:tickets");
    assertThat(refusing.refusing()).as("an intent after the rejection proves nothing yet").isTrue();
    assertThat(refusing.lastError()).isEqualTo("rejected: webhook:tickets answered HTTP 410");
    assertThat(refusing.lastErrorAt()).isEqualTo(T0.plusSeconds(300));

    view.apply("a|3|webhook:tickets", record("a|3|webhook:tickets", "webhook:tickets", "sent", 7, null));
    RecentNotifications.Target fixed = target(view.targets(PersonalData.KEEP_ALL), "webhook:tickets");
    assertThat(fixed.refusing()).isFalse();
    assertThat(fixed.lastError()).as("the last error stays on show").contains("HTTP 410");
  }

  @Test
  void aFailureAfterRetriesIsNotARefusal() {
    RecentNotifications view = new RecentNotifications(10);
    view.apply("a|1|teams:ops", record("a|1|teams:ops", "teams:ops", "failed", 0, "failed after 4 attempt(s): HTTP 503"));

    RecentNotifications.Target teams = view.targets(PersonalData.KEEP_ALL).get(0);

    assertThat(teams.refusing()).isFalse();
    assertThat(teams.stages()).containsEntry("failed", 1);
  }

  @Test
  void onlyTheNewestNotificationsOfATargetAreListedButAllAreCounted() {
    RecentNotifications view = new RecentNotifications(3);
    for (int i = 0; i < 5; i++) {
      view.apply("a|" + i + "|slack:oncall", record("a|" + i + "|slack:oncall", "slack:oncall", "sent", i, null));
    }

    RecentNotifications.Target slack = view.targets(PersonalData.KEEP_ALL).get(0);

    assertThat(slack.recent()).extracting(RecentNotifications.Entry::at)
        .containsExactly(T0.plusSeconds(240), T0.plusSeconds(180), T0.plusSeconds(120));
    assertThat(slack.stages()).containsEntry("sent", 5);
  }

  @Test
  void theNewestAreKeptByTheirTimeWhateverOrderThePartitionsAreReadIn() {
    RecentNotifications view = new RecentNotifications(2);
    for (int minute : new int[] {3, 0, 4, 1, 2}) {
      view.apply("a|" + minute + "|slack:oncall", record("a|" + minute + "|slack:oncall", "slack:oncall", "sent", minute, null));
    }

    assertThat(view.targets(PersonalData.KEEP_ALL).get(0).recent()).extracting(RecentNotifications.Entry::at)
        .containsExactly(T0.plusSeconds(240), T0.plusSeconds(180));
  }

  @Test
  void aTombstoneRemovesTheNotification() {
    RecentNotifications view = new RecentNotifications(10);
    view.apply("a|1|slack:oncall", record("a|1|slack:oncall", "slack:oncall", "sent", 0, null));
    view.apply("a|1|slack:oncall", null);

    assertThat(view.targets(PersonalData.KEEP_ALL)).isEmpty();
  }

  @Test
  void mailRecipientsAndTheAddressInTheirErrorsAreShownAsPrivacyAsks() {
    RecentNotifications view = new RecentNotifications(10);
    view.apply("a|1|ops@example.com", record("a|1|ops@example.com", "ops@example.com", "rejected", 0,
        "rejected: Email address is not verified: ops@example.com"));

    RecentNotifications.Target hashed = view.targets(new PersonalData(Treatment.KEEP, Treatment.KEEP, Treatment.HASH)).get(0);

    assertThat(hashed.channel()).isEqualTo("email");
    assertThat(hashed.target()).isEqualTo(PersonalData.hash("ops@example.com"));
    assertThat(hashed.lastError()).doesNotContain("ops@example.com").contains(PersonalData.hash("ops@example.com"));
    assertThat(hashed.recent().get(0).error()).doesNotContain("ops@example.com");
    assertThat(view.targets(new PersonalData(Treatment.KEEP, Treatment.KEEP, Treatment.REDACT)).get(0).target())
        .isEqualTo(PersonalData.REDACTED);
  }

  @Test
  void channelsAreTheLedgersPrefixesAndEverythingElseIsMail() {
    assertThat(RecentNotifications.channelOf("slack:oncall")).isEqualTo("slack");
    assertThat(RecentNotifications.channelOf("teams:ops")).isEqualTo("teams");
    assertThat(RecentNotifications.channelOf("sns:pager")).isEqualTo("sns");
    assertThat(RecentNotifications.channelOf("webhook:tickets")).isEqualTo("webhook");
    assertThat(RecentNotifications.channelOf("ops@example.com")).isEqualTo("email");
    assertThat(RecentNotifications.channelOf("slack:x@example.com")).isEqualTo("email");
  }

  @Test
  void atLeastOneNotificationPerTargetIsKept() {
    assertThatThrownBy(() -> new RecentNotifications(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }
}
