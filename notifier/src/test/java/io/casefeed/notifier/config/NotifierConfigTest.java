package io.casefeed.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class NotifierConfigTest {

  private static Map<String, String> valid() {
    Map<String, String> p = new HashMap<>();
    p.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    p.put("schema.registry.url", "http://127.0.0.1:8081");
    p.put("notifier.from", "casefeed@example.com");
    p.put("notifier.groups", "ops,finance");
    p.put("notifier.group.ops.recipients", "alice@example.com, bob@example.com");
    p.put("notifier.group.finance.recipients", "carol@example.com");
    p.put("notifier.group.finance.accounts", "111111111111");
    p.put("notifier.group.finance.account.name.pattern", "fin-.*");
    return p;
  }

  private static NotifierConfig load(Map<String, String> p) {
    return NotifierConfig.load(null, Map.of(), p);
  }

  @Test
  void readsGroupsScheduleAndDefaults() {
    NotifierConfig config = load(valid());
    assertThat(config.groups()).hasSize(2);
    assertThat(config.groups().get(0).recipients()).containsExactly("alice@example.com", "bob@example.com");
    assertThat(config.groups().get(0).followsEveryAccount()).isTrue();
    assertThat(config.groups().get(1).follows("111111111111", null)).isTrue();
    assertThat(config.groups().get(1).follows("222222222222", "fin-prod")).isTrue();
    assertThat(config.groups().get(1).follows("222222222222", "ops-prod")).isFalse();
    assertThat(config.digestSchedule().expression()).isEqualTo("0 8 * * *");
    assertThat(config.alertWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.alertSeverity()).isEqualTo("high");
  }

  @Test
  void aGroupWithNoRecipientsIsAnErrorNamingItsKey() {
    Map<String, String> p = valid();
    p.remove("notifier.group.finance.recipients");
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("notifier.group.finance.recipients").hasMessageContaining("no recipients");
  }

  @Test
  void anInvalidAddressIsAnErrorNamingItsKeyAndTheAddress() {
    Map<String, String> p = valid();
    p.put("notifier.group.ops.recipients", "alice@example.com, bob at example");
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("notifier.group.ops.recipients").hasMessageContaining("bob at example");
    Map<String, String> q = valid();
    q.put("notifier.from", "casefeed");
    assertThatThrownBy(() -> load(q)).hasMessageContaining("notifier.from");
  }

  @Test
  void aBadScheduleOrZoneIsAnErrorNamingItsKey() {
    Map<String, String> p = valid();
    p.put("notifier.digest.schedule", "0 8 * *");
    assertThatThrownBy(() -> load(p)).isInstanceOf(ConfigException.class).hasMessageContaining("notifier.digest.schedule");
    Map<String, String> q = valid();
    q.put("notifier.digest.timezone", "Mars/Olympus");
    assertThatThrownBy(() -> load(q)).hasMessageContaining("notifier.digest.timezone");
  }

  @Test
  void otherMistakesNameTheirKeys() {
    Map<String, String> p = valid();
    p.put("notifier.alert.severity", "meh");
    assertThatThrownBy(() -> load(p)).hasMessageContaining("notifier.alert.severity");
    Map<String, String> q = valid();
    q.put("notifier.group.finance.account.name.pattern", "fin-(");
    assertThatThrownBy(() -> load(q)).hasMessageContaining("notifier.group.finance.account.name.pattern");
    Map<String, String> r = valid();
    r.put("aws.access.key.id", "test");
    assertThatThrownBy(() -> load(r)).hasMessageContaining("aws.secret.access.key");
  }

  @Test
  void theSesKeysOfEarlierReleasesAreReadUnderTheOneAwsVocabulary() {
    Map<String, String> old = valid();
    old.put("notifier.ses.endpoint", "http://127.0.0.1:4566");
    old.put("notifier.ses.region", "eu-west-1");
    old.put("notifier.ses.access.key.id", "AKID");
    old.put("notifier.ses.secret.access.key", "secret");

    var aws = load(old).awsSettings();

    assertThat(aws.endpointFor("ses")).hasToString("http://127.0.0.1:4566");
    assertThat(aws.regionFor("ses")).isEqualTo("eu-west-1");
    assertThat(aws.accessKeyId()).isEqualTo("AKID");
    assertThat(aws.secretAccessKey().value()).isEqualTo("secret");
  }
}
