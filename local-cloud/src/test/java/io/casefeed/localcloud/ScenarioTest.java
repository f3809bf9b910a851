package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {

  @TempDir
  Path dir;

  @Test
  void readsYamlAndJsonWithDefaultsForWhatIsLeftOut() throws Exception {
    Path yaml = Files.writeString(dir.resolve("org.yaml"), """
        seed: 11
        accounts: 30
        externalId: casefeed
        languages: {en: 0.5, ja: 0.5}
        sesSandbox: true
        verifiedIdentities: [casefeed@example.com]
        accountOverrides:
          - {index: 4, openCases: 35, language: ja}
        """);
    Scenario scenario = Scenario.load(yaml);
    assertThat(scenario.seed()).isEqualTo(11L);
    assertThat(scenario.accounts()).isEqualTo(30);
    assertThat(scenario.externalId()).isEqualTo("casefeed");
    assertThat(scenario.roleName()).isEqualTo("GetSupportInfoRole");
    assertThat(scenario.accessKeyId()).isEqualTo("test");
    assertThat(scenario.overrideFor(4).openCases()).isEqualTo(35);
    Path json = Files.writeString(dir.resolve("org.json"), "{\"accounts\": 3}");
    assertThat(Scenario.load(json).accounts()).isEqualTo(3);
  }

  @Test
  void aBadValueNamesTheLineAndTheReason() throws Exception {
    Path yaml = Files.writeString(dir.resolve("bad.yaml"), "seed: 1\nminCases: 4\naccounts: -2\n");
    assertThatThrownBy(() -> Scenario.load(yaml)).isInstanceOfSatisfying(ScenarioException.class, e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.getMessage()).contains("bad.yaml:3", "accounts must be between 1 and 10000, was -2");
    });
  }

  @Test
  void anUnknownKeyNamesItsLine() throws Exception {
    Path yaml = Files.writeString(dir.resolve("typo.yaml"), "seed: 1\naccounts: 4\nacounts: 5\n");
    assertThatThrownBy(() -> Scenario.load(yaml)).isInstanceOfSatisfying(ScenarioException.class, e -> {
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.getMessage()).contains("acounts");
    });
  }

  @Test
  void brokenSyntaxNamesItsLine() throws Exception {
    Path json = Files.writeString(dir.resolve("broken.json"), "{\n  \"seed\": 1,\n  \"accounts\": 3\n  \"speed\": 2\n}\n");
    assertThatThrownBy(() -> Scenario.load(json)).isInstanceOfSatisfying(ScenarioException.class, e -> {
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.getMessage()).startsWith(json + ":4: ").contains("Unexpected character");
    });
  }
}
