package io.casefeed.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.casefeed.notifier.alert.AlertEvent;
import io.casefeed.notifier.channel.ChannelKind;
import io.casefeed.notifier.channel.ChannelTarget;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ChannelConfigTest {

  private static final String SLACK_URL = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX";
  private static final String SECRET = "whsec-0123456789abcdef";

  private static Map<String, String> valid() {
    Map<String, String> p = new HashMap<>();
    p.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    p.put("schema.registry.url", "http://127.0.0.1:8081");
    p.put("notifier.from", "casefeed@example.com");
    p.put("notifier.groups", "prod,everyone");
    p.put("notifier.group.prod.account.name.pattern", "prod-.*");
    p.put("notifier.group.prod.channels", "oncall, tickets");
    p.put("notifier.group.everyone.recipients", "ops@example.com");
    p.put("notifier.group.everyone.channels", "teams");
    p.put("notifier.channels", "oncall,tickets,teams");
    p.put("notifier.channel.oncall.type", "slack");
    p.put("notifier.channel.oncall.url", SLACK_URL);
    p.put("notifier.channel.oncall.min.severity", "urgent");
    p.put("notifier.channel.oncall.changes", "opened,escalated");
    p.put("notifier.channel.tickets.type", "webhook");
    p.put("notifier.channel.tickets.url", "https://tickets.example.com/hooks/casefeed");
    p.put("notifier.channel.tickets.secret", SECRET);
    p.put("notifier.channel.teams.type", "teams");
    p.put("notifier.channel.teams.url", "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t");
    return p;
  }

  private static NotifierConfig load(Map<String, String> p) {
    return NotifierConfig.load(null, Map.of(), p);
  }

  private static void assertFails(Consumer<Map<String, String>> change, String key, String reason) {
    Map<String, String> p = valid();
    change.accept(p);
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("XXXXsecretXXXX").doesNotContain(SECRET).doesNotContain("s3cr3t"));
  }

  @Test
  void groupsGetTheirTargetsWithFilters() {
    NotifierConfig config = load(valid());
    assertThat(config.channelsOf("prod")).extracting(ChannelTarget::ledgerName).containsExactly("slack:oncall", "webhook:tickets");
    ChannelTarget oncall = config.channelsOf("prod").get(0);
    assertThat(oncall.kind()).isEqualTo(ChannelKind.SLACK);
    assertThat(oncall.url().toString()).isEqualTo(SLACK_URL);
    assertThat(oncall.minSeverity()).isEqualTo("urgent");
    assertThat(oncall.changes()).containsExactlyInAnyOrder(AlertEvent.Kind.NEW_CASE, AlertEvent.Kind.ESCALATION);
    assertThat(config.channelsOf("prod").get(1).secret()).isEqualTo(SECRET);
    assertThat(config.channelsOf("everyone")).extracting(ChannelTarget::ledgerName).containsExactly("teams:teams");
    // A group may post to channels only.
    assertThat(config.groups().get(0).recipients()).isEmpty();
    assertThat(config.channelMaxAttempts()).isEqualTo(6);
  }

  @Test
  void slackAndTeamsTargetsMayTakeDigestsOtherKindsMayNot() {
    Map<String, String> p = valid();
    p.put("notifier.channel.teams.digests", "true");
    NotifierConfig config = load(p);
    assertThat(config.channelsOf("everyone").get(0).digests()).isTrue();
    assertThat(config.channelsOf("prod")).noneMatch(ChannelTarget::digests);
    assertFails(q -> q.put("notifier.channel.tickets.digests", "true"), "notifier.channel.tickets.digests",
        "digests are posted to slack and teams targets only");
  }

  @Test
  void hoursAreReadInTheTargetsZoneAndMistakesNameTheKey() {
    Map<String, String> p = valid();
    p.put("notifier.channel.teams.hours", "Mon-Fri 09:00-18:00");
    p.put("notifier.channel.teams.timezone", "Europe/Berlin");
    ChannelTarget teams = load(p).channelsOf("everyone").get(0);
    assertThat(teams.hours().zone()).isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
    assertThat(teams.hours().contains(java.time.Instant.parse("2026-12-07T08:30:00Z"))).as("Mon 09:30 Berlin").isTrue();
    assertThat(load(valid()).channelsOf("everyone").get(0).hours()).isSameAs(io.casefeed.notifier.channel.BusinessHours.ALWAYS);
    assertFails(q -> q.put("notifier.channel.teams.hours", "weekdays 9-5"), "notifier.channel.teams.hours", "unknown day weekdays");
    assertFails(q -> q.put("notifier.channel.teams.timezone", "Mars/Olympus"), "notifier.channel.teams.timezone", "not a time zone");
  }

  @Test
  void urlsAndSecretsArePasswordsNeverShown() {
    assertThat(ChannelTargetConfig.DEFINITION.configKeys().get("url").type.name()).isEqualTo("PASSWORD");
    assertThat(ChannelTargetConfig.DEFINITION.configKeys().get("secret").type.name()).isEqualTo("PASSWORD");
    assertThat(load(valid()).channelsOf("prod").toString()).doesNotContain("XXXXsecretXXXX").doesNotContain(SECRET);
  }

  @Test
  void badTargetsFailNamingTheKey() {
    assertFails(p -> p.put("notifier.channel.oncall.type", "pager"), "notifier.channel.oncall.type", "must be one of");
    assertFails(p -> p.remove("notifier.channel.oncall.url"), "notifier.channel.oncall.url", "required");
    assertFails(p -> p.put("notifier.channel.oncall.url", "ftp://hooks.slack.com/XXXXsecretXXXX"), "notifier.channel.oncall.url",
        "http(s)");
    assertFails(p -> p.put("notifier.channel.oncall.url", "https://hooks slack/XXXXsecretXXXX"), "notifier.channel.oncall.url",
        "not a URL");
    assertFails(p -> p.remove("notifier.channel.tickets.secret"), "notifier.channel.tickets.secret", "signing secret");
    assertFails(p -> p.put("notifier.channel.tickets.secret", "short"), "notifier.channel.tickets.secret", "16");
    assertFails(p -> p.put("notifier.channel.oncall.secret", SECRET), "notifier.channel.oncall.secret", "only a webhook");
    assertFails(p -> p.put("notifier.channel.oncall.min.severity", "meh"), "notifier.channel.oncall.min.severity", "must be one of");
    assertFails(p -> p.put("notifier.channel.oncall.changes", "opened,closed"), "notifier.channel.oncall.changes", "closed");
    assertFails(p -> p.put("notifier.group.prod.channels", "oncall,pager"), "notifier.group.prod.channels", "pager");
    assertFails(p -> p.put("notifier.channel.pager.type", "slack"), "notifier.channel.pager.type", "not listed");
    assertFails(p -> p.put("notifier.group.prod.channels", "oncall"), "notifier.channels", "tickets");
    assertFails(p -> p.put("notifier.channels", "oncall,tickets,teams,bad name"), "notifier.channels", "bad name");
    assertFails(p -> {
      p.remove("notifier.group.everyone.recipients");
      p.remove("notifier.group.everyone.channels");
      p.put("notifier.channels", "oncall,tickets");
      p.remove("notifier.channel.teams.type");
      p.remove("notifier.channel.teams.url");
    }, "notifier.group.everyone.recipients", "no recipients");
  }

  @Test
  void anSnsTargetNamesItsTopicAndNoUrl() {
    Map<String, String> p = valid();
    p.put("notifier.channels", "oncall,tickets,teams,pager");
    p.put("notifier.group.everyone.channels", "teams,pager");
    p.put("notifier.channel.pager.type", "sns");
    p.put("notifier.channel.pager.topic.arn", "arn:aws:sns:eu-west-1:123456789012:casefeed-alerts.fifo");
    p.put("notifier.channel.pager.min.severity", "high");
    ChannelTarget pager = load(p).channelsOf("everyone").get(1);
    assertThat(pager.kind()).isEqualTo(ChannelKind.SNS);
    assertThat(pager.address()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:casefeed-alerts.fifo");
    assertThat(pager.url()).isNull();
    assertThat(pager.ledgerName()).isEqualTo("sns:pager");
  }

  @Test
  void badSnsTargetsFailNamingTheKey() {
    Consumer<Map<String, String>> sns = p -> {
      p.put("notifier.channels", "oncall,tickets,teams,pager");
      p.put("notifier.group.everyone.channels", "teams,pager");
      p.put("notifier.channel.pager.type", "sns");
    };
    assertFails(sns, "notifier.channel.pager.topic.arn", "needs an SNS topic ARN");
    assertFails(sns.andThen(p -> p.put("notifier.channel.pager.topic.arn", "arn:aws:sqs:eu-west-1:123456789012:q")),
        "notifier.channel.pager.topic.arn", "needs an SNS topic ARN");
    assertFails(sns.andThen(p -> {
      p.put("notifier.channel.pager.topic.arn", "arn:aws:sns:eu-west-1:123456789012:t");
      p.put("notifier.channel.pager.url", SLACK_URL);
    }), "notifier.channel.pager.url", "not to a URL");
    assertFails(p -> p.put("notifier.channel.oncall.topic.arn", "arn:aws:sns:eu-west-1:123456789012:t"),
        "notifier.channel.oncall.topic.arn", "only an sns target has a topic");
  }

  @Test
  void aSlackTargetWithABotTokenPostsToChatPostMessageInItsChannel() {
    Map<String, String> p = valid();
    p.remove("notifier.channel.oncall.url");
    p.put("notifier.channel.oncall.token", "xoxb-1-secret-token");
    p.put("notifier.channel.oncall.channel", "C0123456789");
    ChannelTarget oncall = load(p).channelsOf("prod").get(0);
    assertThat(oncall.url().toString()).isEqualTo("https://slack.com/api/chat.postMessage");
    assertThat(oncall.secret()).isEqualTo("xoxb-1-secret-token");
    assertThat(oncall.address()).isEqualTo("C0123456789");
    assertThat(oncall.toString()).doesNotContain("xoxb");
  }

  @Test
  void badBotTokenTargetsFailNamingTheKeyWithoutTheToken() {
    assertFails(p -> p.put("notifier.channel.oncall.token", "xoxb-XXXXsecretXXXX"), "notifier.channel.oncall.channel",
        "needs the channel");
    assertFails(p -> p.put("notifier.channel.oncall.channel", "C0123456789"), "notifier.channel.oncall.channel",
        "only with");
    assertFails(p -> p.put("notifier.channel.teams.token", "xoxb-XXXXsecretXXXX"), "notifier.channel.teams.token",
        "only a slack target");
  }
}
