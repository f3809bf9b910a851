package io.casefeed.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/topics.md cannot drift from the catalogue: every topic is there with its partitions and cleanup. */
class TopicsDocumentationTest {

  @Test
  void everyTopicIsDocumentedWithItsSettings() throws Exception {
    String doc = Files.readString(Path.of("../docs/topics.md"));
    for (TopicSpec topic : Topics.ALL) {
      String row = doc.lines().filter(l -> l.startsWith("| `" + topic.name() + "`")).findFirst()
          .orElseThrow(() -> new AssertionError(topic.name() + " has no row in docs/topics.md"));
      assertThat(row).as(topic.name())
          .contains("| " + topic.defaultPartitions() + " |")
          .contains("| " + topic.cleanupPolicy().kafkaValue() + " |");
      if (topic.valueType() != null) {
        assertThat(row).contains(topic.valueType().getSimpleName());
      }
      assertThat(doc).contains("### `" + topic.name() + "`");
    }
  }
}
