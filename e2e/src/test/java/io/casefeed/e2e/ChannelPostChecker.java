package io.casefeed.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.localcloud.sns.PublishedMessage;
import io.casefeed.localcloud.webhook.ReceivedPost;
import io.casefeed.notifier.channel.ChannelKind;
import io.casefeed.notifier.channel.HttpChannelPoster;
import io.casefeed.schema.NotificationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alerts the notifier posted besides mail, checked as mails are: every post that the ledger
 * ({@code casefeed.notifications}) records as sent arrived once at its channel (Slack, Teams and the
 * signed webhook on local-cloud's receiver, by {@code Idempotency-Key}; SNS by the CloudEvent id in
 * the message), none arrived that the ledger does not know, and a second copy counts apart only when
 * a SIGKILL of the notifier fell in that post's in-flight window, per channel.
 */
final class ChannelPostChecker {

  /** One arrival of a post at its channel. */
  record Copy(String notificationId, Instant at) {}

  private final Pipeline pipeline;
  private final ObjectMapper json = new ObjectMapper();

  ChannelPostChecker(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** The row of the result table for one kind of channel. */
  static String check(ChannelKind kind) {
    return "channel posts once: " + kind.configName();
  }

  /** The kind of channel a ledger recipient names ("slack:oncall"), empty for a mail recipient. */
  static Optional<ChannelKind> kindOf(String recipient) {
    int colon = recipient == null || recipient.contains("@") ? -1 : recipient.indexOf(':');
    return colon < 0 ? Optional.empty() : ChannelKind.parse(recipient.substring(0, colon));
  }

  void check(Verdict verdict, List<NotificationRecord> ledger, List<Instant> notifierKills) {
    Map<ChannelKind, Map<String, Set<String>>> stages = new EnumMap<>(ChannelKind.class);
    for (NotificationRecord record : ledger) {
      kindOf(record.getRecipient()).ifPresent(kind -> stages.computeIfAbsent(kind, k -> new HashMap<>())
          .computeIfAbsent(record.getMailId(), id -> new HashSet<>()).add(record.getStage()));
    }
    for (ChannelKind kind : ChannelKind.values()) {
      String check = check(kind);
      verdict.row(check);
      Map<String, Set<String>> recorded = stages.getOrDefault(kind, Map.of());
      Map<String, List<Copy>> arrived = new HashMap<>();
      for (Copy copy : copies(kind, verdict)) {
        arrived.computeIfAbsent(copy.notificationId(), id -> new ArrayList<>()).add(copy);
      }
      Set<String> ids = new LinkedHashSet<>(recorded.keySet());
      ids.addAll(arrived.keySet());
      for (String id : ids) {
        verdict.checked(check, 1);
        judge(verdict, check, id, recorded.getOrDefault(id, Set.of()), arrived.getOrDefault(id, List.of()), notifierKills);
      }
    }
  }

  /**
   * Two copies are the in-flight window only when exactly one sent record exists and the notifier
   * was SIGKILLed near the first copy's arrival (the post in flight, or its answer not yet recorded)
   * and before the second: the restart posted it again under the same id.
   */
  static void judge(Verdict verdict, String check, String id, Set<String> recorded, List<Copy> copies, List<Instant> kills) {
    if (copies.size() > 1) {
      List<Copy> ordered = copies.stream().sorted(Comparator.comparing(Copy::at)).toList();
      Optional<Instant> kill = copies.size() == 2
          ? InvariantChecker.killInWindow(ordered.get(0).at(), ordered.get(1).at(), kills) : Optional.empty();
      if (kill.isPresent()) {
        verdict.resentAfterKill(check, "'" + id + "': copy 1 at " + ordered.get(0).at() + ", the notifier SIGKILLed "
            + InvariantChecker.offset(ordered.get(0).at(), kill.get()) + " it, copy 2 at " + ordered.get(1).at() + " after the restart");
      } else {
        verdict.duplicated(check, "'" + id + "' arrived " + copies.size() + " times (stages " + recorded + ", "
            + InvariantChecker.nearestKill(ordered.get(0).at(), kills) + ")");
      }
    }
    if (!recorded.contains("sent")) {
      verdict.lost(check, "'" + id + "' has stages " + recorded + " and " + copies.size() + " cop" + (copies.size() == 1 ? "y" : "ies"));
    } else if (copies.isEmpty()) {
      verdict.lost(check, "'" + id + "' is recorded sent but never arrived");
    }
  }

  /** What arrived at the channel of {@code kind}, each with the notification id it carries. */
  private List<Copy> copies(ChannelKind kind, Verdict verdict) {
    return switch (kind) {
      case SLACK -> received(Pipeline.SLACK_PATH, kind, verdict);
      case TEAMS -> received(Pipeline.TEAMS_PATH, kind, verdict);
      case WEBHOOK -> received(Pipeline.WEBHOOK_PATH, kind, verdict);
      case SNS -> published();
    };
  }

  private List<Copy> received(String path, ChannelKind kind, Verdict verdict) {
    List<Copy> copies = new ArrayList<>();
    for (ReceivedPost post : pipeline.channels().accepted(path)) {
      String id = post.header(HttpChannelPoster.IDEMPOTENCY_KEY);
      if (id == null) {
        verdict.wrong(check(kind), "post " + post.sequence() + " to " + path + " has no " + HttpChannelPoster.IDEMPOTENCY_KEY);
      } else {
        copies.add(new Copy(id, post.receivedAt()));
      }
    }
    return copies;
  }

  /** SNS messages carry the notification id as their CloudEvent's {@code id}. */
  private List<Copy> published() {
    List<Copy> copies = new ArrayList<>();
    for (PublishedMessage message : pipeline.cloud().snsMessages()) {
      if (message.topicArn().equals(pipeline.snsTopicArn())) {
        try {
          copies.add(new Copy(json.readTree(message.message()).path("id").asText(), message.publishedAt()));
        } catch (IOException e) {
          throw new UncheckedIOException("SNS message " + message.messageId() + " is not a CloudEvent", e);
        }
      }
    }
    return copies;
  }
}
