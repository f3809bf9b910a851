package io.casefeed.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.notifier.delivery.NotificationLedger;
import io.casefeed.schema.NotificationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack threads for Web API targets: the first post about a case starts a thread, later posts about
 * it reply there ({@code thread_ts}). The thread is kept in the ledger on casefeed.notifications, in
 * the sent record's own fields ({@code threadTs}, the thread's first message, and {@code threadKey},
 * the case), so a restarted notifier finds it by reading the ledger as it does for never-twice.
 * Ledgers written before those fields existed kept it in the answer
 * ({@code ts <ts> thread <root ts> key <case>}); those records are still read.
 */
final class SlackThreads {

  /** A sent post's place: the first message of its thread and the case the thread is about. */
  record Placement(String root, String key) {}

  /** How the answer field carried the thread before the record had fields for it. */
  private static final Pattern OLD_ANSWER = Pattern.compile("ts (\\S+) thread (\\S+) key (.+)");
  private static final Pattern TS = Pattern.compile("ts (\\S+)");

  private final ObjectMapper json;

  SlackThreads(ObjectMapper json) {
    this.json = json;
  }

  /** True for a Slack target posting through the Web API with a bot token; incoming webhooks have no threads. */
  static boolean threads(ChannelTarget target) {
    return target.kind() == ChannelKind.SLACK && target.secret() != null;
  }

  /** The ts of the thread's first message about {@code key} on {@code target}, from the ledger's sent records. */
  static Optional<String> root(NotificationLedger ledger, ChannelTarget target, String key) {
    String recipient = target.ledgerName();
    return ledger.records().stream()
        .filter(r -> NotificationLedger.SENT.equals(String.valueOf(r.getStage())) && recipient.equals(String.valueOf(r.getRecipient())))
        .map(SlackThreads::placement).flatMap(Optional::stream)
        .filter(placement -> placement.key().equals(key))
        .map(Placement::root).findFirst();
  }

  /** Where a sent record says its post is: from its thread fields, or from an older record's answer. */
  static Optional<Placement> placement(NotificationRecord record) {
    if (record.getThreadTs() != null && record.getThreadKey() != null) {
      return Optional.of(new Placement(record.getThreadTs().toString(), record.getThreadKey().toString()));
    }
    if (record.getSesMessageId() == null) {
      return Optional.empty();
    }
    Matcher old = OLD_ANSWER.matcher(record.getSesMessageId());
    return old.matches() ? Optional.of(new Placement(old.group(2), old.group(3))) : Optional.empty();
  }

  /** The post, as a reply in the case's thread when one was started; unchanged otherwise. */
  ChannelPost threaded(ChannelPost post, NotificationLedger ledger) {
    if (!threads(post.target()) || post.orderKey() == null) {
      return post;
    }
    Optional<String> root = root(ledger, post.target(), post.orderKey());
    if (root.isEmpty()) {
      return post;
    }
    try {
      ObjectNode body = (ObjectNode) json.readTree(post.body());
      body.put("thread_ts", root.get());
      return new ChannelPost(post.notificationId(), post.group(), post.target(), post.period(), post.summary(), post.contentType(),
          JsonBytes.of(json, body), post.attributes(), post.orderKey());
    } catch (IOException e) {
      throw new UncheckedIOException("a Slack post that is not JSON: " + post.notificationId(), e);
    }
  }

  /**
   * Where a Web API post that Slack answered {@code ts <ts>} now is: in the thread it replied to, or
   * at the start of its own. Empty for posts without threads.
   */
  Optional<Placement> placement(ChannelPost sent, String answer) {
    if (!threads(sent.target()) || sent.orderKey() == null || answer == null) {
      return Optional.empty();
    }
    Matcher ts = TS.matcher(answer);
    if (!ts.matches()) {
      return Optional.empty();
    }
    String root;
    try {
      var thread = json.readTree(sent.body()).path("thread_ts");
      root = thread.isTextual() ? thread.asText() : ts.group(1);
    } catch (IOException e) {
      root = ts.group(1);
    }
    return Optional.of(new Placement(root, sent.orderKey()));
  }
}
