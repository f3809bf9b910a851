package io.casefeed.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetteredItemsTest {

  @Test
  void keysDifferByAccountCaseAndContent() {
    String base = DeadLetteredItems.key("111111111111", "case-1", "{\"a\":1}");
    assertThat(DeadLetteredItems.key("111111111111", "case-1", "{\"a\":1}")).isEqualTo(base);
    assertThat(DeadLetteredItems.key("222222222222", "case-1", "{\"a\":1}")).isNotEqualTo(base);
    assertThat(DeadLetteredItems.key("111111111111", "case-2", "{\"a\":1}")).isNotEqualTo(base);
    assertThat(DeadLetteredItems.key("111111111111", "case-1", "{\"a\":2}")).isNotEqualTo(base);
    // The item itself is not kept in memory, only its fingerprint.
    assertThat(DeadLetteredItems.key("111111111111", "case-1", "secret body")).doesNotContain("secret");
  }

  @Test
  void keysArePrintableAccountCaseAndFingerprint() {
    assertThat(DeadLetteredItems.key("111111111111", " case-1 ", "{\"a\":1}"))
        .matches("111111111111:case-1:[0-9a-f]{64}");
    assertThat(DeadLetteredItems.key("111111111111", null, "{}")).matches("111111111111::[0-9a-f]{64}")
        .isEqualTo(DeadLetteredItems.key("111111111111", "  ", "{}"));
    // They are record keys of a compacted topic: no NUL or other control character, however odd the caseId.
    String odd = DeadLetteredItems.key("111111111111", "case\u0000-\n2", "{\"caseId\":\"case\\u0000-\\n2\"}");
    assertThat(odd).matches("111111111111:case\\?-\\?2:[0-9a-f]{64}").doesNotContain("\u0000", "\n");
    // Cut caseIds still differ by their fingerprint, which covers the whole item.
    String longA = DeadLetteredItems.key("111111111111", "x".repeat(500) + "a", "{\"caseId\":\"" + "x".repeat(500) + "a\"}");
    String longB = DeadLetteredItems.key("111111111111", "x".repeat(500) + "b", "{\"caseId\":\"" + "x".repeat(500) + "b\"}");
    assertThat(longA).hasSize(12 + 1 + DeadLetteredItems.MAX_CASE_ID_CHARS + 1 + 64).isNotEqualTo(longB);
  }

  @Test
  void remembersUpToItsCapacityForgettingTheLeastRecentlySeen() {
    DeadLetteredItems items = new DeadLetteredItems(2);
    assertThat(items.firstSighting("a")).isTrue();
    assertThat(items.firstSighting("b")).isTrue();
    assertThat(items.firstSighting("a")).isFalse();
    assertThat(items.firstSighting("c")).isTrue();

    assertThat(items.size()).isEqualTo(2);
    // b was the least recently seen: it went, a stayed.
    assertThat(items.firstSighting("a")).isFalse();
    assertThat(items.firstSighting("b")).isTrue();
  }

  @Test
  void aForgottenKeyIsAFirstSightingAgain() {
    DeadLetteredItems items = new DeadLetteredItems(4);
    items.firstSighting("a");
    items.forget("a");
    assertThat(items.firstSighting("a")).isTrue();
  }

  @Test
  void refusesACapacityBelowOne() {
    assertThatThrownBy(() -> new DeadLetteredItems(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
  }
}
