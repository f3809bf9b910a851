package io.casefeed.schemas;

import io.casefeed.common.config.CommonConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Catalogue topics under an app's configured prefix, and their creation at start. */
public final class TopicNames {

  private TopicNames() {}

  public static String of(CommonConfig config, TopicSpec spec) {
    return config.topicName(spec.name());
  }

  /**
   * Fails, naming them, when any of {@code specs} is missing: with {@code topic.create=false} a
   * producer would otherwise wait for the topic forever, silently.
   */
  public static void requireExisting(CommonConfig config, Collection<TopicSpec> specs) {
    try (Admin admin = Admin.create(config.kafkaClientSettings())) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<String> missing = specs.stream().map(spec -> of(config, spec)).filter(name -> !existing.contains(name)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException("topics missing: " + missing + " (create them, or set " + CommonConfig.TOPIC_CREATE + "=true)");
      }
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted listing topics", e);
    }
  }

  /**
   * Creates the missing topics among {@code specs} with the catalogue's partitions and cleanup
   * policy and the configured replication; existing topics are left as they are.
   */
  public static void createMissing(CommonConfig config, Collection<TopicSpec> specs) {
    try (Admin admin = Admin.create(config.kafkaClientSettings())) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec spec : specs) {
        String name = of(config, spec);
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, spec.defaultPartitions(), config.replicationFactor()).configs(spec.topicConfigs()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within 60 s while creating topics", e);
    }
  }
}
