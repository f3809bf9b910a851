package io.casefeed.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

  @Test
  void theCommittedReferenceIsWhatTheCodeDefines() throws Exception {
    String committed = Files.readString(Path.of("../docs/configuration.md"));
    assertThat(committed)
        .as("docs/configuration.md is stale: run 'java -cp app/target/casefeed.jar io.casefeed.app.ConfigurationReference docs/configuration.md'")
        .isEqualTo(ConfigurationReference.markdown());
  }

  @Test
  void everyAppsKeysAreListed() {
    String reference = ConfigurationReference.markdown();
    ConfigurationReference.definitions().values().forEach(definition ->
        definition.names().forEach(key -> assertThat(reference).contains("| `" + key + "` |")));
  }
}
