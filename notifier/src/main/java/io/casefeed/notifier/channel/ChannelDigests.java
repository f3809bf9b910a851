package io.casefeed.notifier.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.notifier.delivery.Delivery;
import io.casefeed.notifier.digest.Digest;
import io.casefeed.notifier.link.PresignedLink;
import io.casefeed.notifier.render.CaseLine;
import io.casefeed.notifier.render.Formats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A group's digest as a summary post to each of its Slack and Teams targets that take digests: the
 * period, the counts a reader scans first (cases, opened, resolved, escalated, reopened, urgent open,
 * waiting on the customer, unreadable accounts), the urgent and longest-open cases, and a presigned
 * link to the whole case list instead of the mail's attachment. Each post goes through
 * {@link ChannelDelivery} under {@link ChannelIds#digest}, so a digest is posted once per target even
 * across restarts, and a target that refuses it does not hold up the others.
 */
public final class ChannelDigests {

  /** Cases listed per kind in a summary; the rest are in the list behind the link. */
  static final int MAX_CASES = 5;

  private final ChannelDelivery delivery;
  private final ObjectMapper json = new ObjectMapper();

  public ChannelDigests(ChannelDelivery delivery) {
    this.delivery = delivery;
  }

  /** What happened to each post, in target order; targets that take no digests are skipped. */
  public List<Delivery.Outcome> send(List<ChannelTarget> targets, Digest digest, Instant period, Optional<PresignedLink> link)
      throws InterruptedException {
    List<Delivery.Outcome> outcomes = new ArrayList<>();
    for (ChannelTarget target : targets) {
      if (!target.digests()) {
        continue;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("stopped while posting the digest of " + period);
      }
      outcomes.add(delivery.deliver(render(target, digest, period, link)));
    }
    return outcomes;
  }

  ChannelPost render(ChannelTarget target, Digest digest, Instant period, Optional<PresignedLink> link) {
    String summary = summary(digest);
    ObjectNode body = switch (target.kind()) {
      case SLACK -> slack(target, summary, digest, link);
      case TEAMS -> teams(summary, digest, link);
      default -> throw new IllegalArgumentException("digests go to slack and teams targets, not to " + target.ledgerName());
    };
    return new ChannelPost(ChannelIds.digest(period, digest.group(), target), digest.group(), target, period.toString(), summary,
        SlackRenderer.CONTENT_TYPE, JsonBytes.of(json, body));
  }

  /** "[casefeed] prod digest: 42 cases, 3 opened, 2 resolved", as the mail's subject reads. */
  static String summary(Digest digest) {
    return String.format(Locale.ROOT, "[casefeed] %s digest: %d %s, %d opened, %d resolved", digest.group(),
        digest.totalCases(), digest.totalCases() == 1 ? "case" : "cases", digest.opened().size(), digest.resolved().size());
  }

  static Map<String, String> counts(Digest digest) {
    Map<String, String> counts = new LinkedHashMap<>();
    counts.put("Cases", Integer.toString(digest.totalCases()));
    counts.put("Opened", Integer.toString(digest.opened().size()));
    counts.put("Resolved", Integer.toString(digest.resolved().size()));
    counts.put("Escalated", Integer.toString(digest.escalated().size()));
    counts.put("Reopened", Integer.toString(digest.reopened().size()));
    counts.put("Urgent or critical, open", Integer.toString(digest.urgentOpen().size()));
    counts.put("Waiting on you", Integer.toString(digest.waitingOnCustomer().size()));
    counts.put("Accounts unreadable", Long.toString(digest.unreadableAccounts()));
    if (!digest.undelivered().isEmpty()) {
      counts.put("Not delivered", Integer.toString(digest.undelivered().size()));
    }
    return counts;
  }

  private static String period(Digest digest) {
    return Formats.dateTime(digest.periodStart(), digest.zone()) + " – " + Formats.dateTime(digest.periodEnd(), digest.zone());
  }

  private ObjectNode slack(ChannelTarget target, String summary, Digest digest, Optional<PresignedLink> link) {
    ObjectNode root = json.createObjectNode();
    root.put("text", summary);
    if (SlackThreads.threads(target)) {
      root.put("channel", target.address());
    }
    ArrayNode blocks = root.putArray("blocks");
    blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text").put("text", "casefeed digest · " + digest.group());
    ObjectNode section = blocks.addObject().put("type", "section");
    ArrayNode fields = section.putArray("fields");
    counts(digest).forEach((name, value) -> fields.addObject().put("type", "mrkdwn")
        .put("text", "*" + SlackRenderer.escape(name) + "*\n" + value));
    addCases(blocks, "Urgent or critical, open", digest.urgentOpen());
    addCases(blocks, "Open longest", digest.oldestOpen());
    if (link.isPresent()) {
      blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text",
          "<" + link.get().url().replace("|", "%7C").replace(">", "%3E") + "|Download the case list> (CSV, the link works until "
              + link.get().expires() + ")");
    }
    blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", SlackRenderer.escape("casefeed · " + digest.group() + " · " + period(digest)));
    return root;
  }

  private static void addCases(ArrayNode blocks, String title, List<CaseLine> cases) {
    if (cases.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder("*").append(SlackRenderer.escape(title)).append("*");
    cases.stream().limit(MAX_CASES).forEach(c -> text.append("\n• ").append(slackCase(c)));
    if (cases.size() > MAX_CASES) {
      text.append("\n_and ").append(cases.size() - MAX_CASES).append(" more_");
    }
    blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", text.toString());
  }

  private static String slackCase(CaseLine c) {
    String id = SlackRenderer.escape(c.displayId() == null ? "?" : c.displayId());
    String linked = c.consoleLink() == null ? id : "<" + c.consoleLink().replace("|", "%7C").replace(">", "%3E") + "|" + id + ">";
    String account = c.accountName() == null ? c.accountId() : c.accountName() + " (" + c.accountId() + ")";
    return linked + " · " + SlackRenderer.escape(String.valueOf(c.severity())) + " · " + SlackRenderer.escape(String.valueOf(c.status()))
        + (c.subject() == null ? "" : " · " + SlackRenderer.escape(c.subject())) + " · " + SlackRenderer.escape(account);
  }

  private ObjectNode teams(String summary, Digest digest, Optional<PresignedLink> link) {
    ObjectNode root = json.createObjectNode();
    ObjectNode card = TeamsRenderer.card(root);
    ArrayNode body = card.putArray("body");
    body.addObject().put("type", "TextBlock").put("text", summary).put("weight", "Bolder").put("size", "Medium").put("wrap", true);
    body.addObject().put("type", "TextBlock").put("text", period(digest)).put("isSubtle", true).put("wrap", true)
        .put("spacing", "None");
    ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
    counts(digest).forEach((name, value) -> facts.addObject().put("title", name).put("value", value));
    teamsCases(body, "Urgent or critical, open", digest.urgentOpen());
    teamsCases(body, "Open longest", digest.oldestOpen());
    if (link.isPresent()) {
      card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Download the case list")
          .put("url", link.get().url());
      body.addObject().put("type", "TextBlock").put("text", "The link works until " + link.get().expires() + ".")
          .put("isSubtle", true).put("wrap", true);
    }
    return root;
  }

  private static void teamsCases(ArrayNode body, String title, List<CaseLine> cases) {
    if (cases.isEmpty()) {
      return;
    }
    body.addObject().put("type", "TextBlock").put("text", title).put("weight", "Bolder").put("wrap", true).put("separator", true);
    for (CaseLine c : cases.stream().limit(MAX_CASES).toList()) {
      String account = c.accountName() == null ? c.accountId() : c.accountName() + " (" + c.accountId() + ")";
      String id = c.displayId() == null ? "?" : c.displayId();
      String heading = c.consoleLink() == null ? id : "[" + id + "](" + c.consoleLink() + ")";
      body.addObject().put("type", "TextBlock").put("wrap", true).put("text", "- " + heading + " · " + c.severity() + " · "
          + c.status() + (c.subject() == null ? "" : " · " + c.subject().replace("[", "(").replace("]", ")")) + " · " + account);
    }
    if (cases.size() > MAX_CASES) {
      body.addObject().put("type", "TextBlock").put("text", "… and " + (cases.size() - MAX_CASES) + " more").put("wrap", true);
    }
  }
}
