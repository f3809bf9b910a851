package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.localcloud.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline with credentials, an ExternalId and a Slack bot token made for this run alone,
 * logging at INFO everywhere: not one log line holds the secret key, the ExternalId or the token,
 * while the pipeline did use them (every readable account was read through AssumeRole with that
 * ExternalId; an urgent case was posted to the local Slack with that token).
 */
class SecretsInLogsIT {

  @TempDir Path work;

  @Test
  void noLogLineHoldsASecret() throws Exception {
    String accessKey = "AKIA" + random(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    String secretKey = random(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    String externalId = "casefeed-" + UUID.randomUUID();
    String slackToken = "xoxb-" + random(24, "abcdefghijklmnopqrstuvwxyz0123456789");
    Scenario organisation = new Scenario(23L, 4, null, accessKey, secretKey, null, externalId, 3, 8, 40,
        null, null, 30.0, null, null, null);

    Queue<String> lines = new ConcurrentLinkedQueue<>();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Level rootLevel = root.getLevel();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(event.getLoggerName() + " " + event.getFormattedMessage()
            + (event.getThrowableProxy() == null ? "" : " " + ThrowableProxyUtil.asString(event.getThrowableProxy())));
      }
    };
    capture.setContext(context);
    capture.start();
    root.addAppender(capture);
    root.setLevel(Level.INFO);
    try (Demo demo = new Demo(new Demo.Options(work.resolve("data"), 4, 30.0, 0, 0, 0, 0, 0, 23L, 3_000, 30_000, "every 1m", 10_000))
        .withScenario(organisation)
        .withSettings(Demo.Component.NOTIFIER, java.util.Map.of("notifier.channel.slack.token", slackToken)).start()) {
      assertThat(demo.cloud().secretAccessKey()).isEqualTo(secretKey);
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      long readable = demo.cloud().simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && "ACTIVE".equals(a.status())).count();
      await("every readable account read with the ExternalId, and a digest sent").atMost(Duration.ofSeconds(180))
          .pollInterval(Duration.ofSeconds(2)).until(() -> {
            var stats = json.readTree(http.send(HttpRequest.newBuilder(URI.create(demo.streams().queryUrl() + "/api/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
            return stats.path("coverage").path("lastOutcome").path("ok").asLong() >= readable && !demo.cloud().outbox().isEmpty();
          });
      // An urgent case, so that the Slack bot token is used (a post carries it in its Authorization header).
      var account = demo.cloud().simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && "ACTIVE".equals(a.status())).findFirst().orElseThrow();
      demo.cloud().simulation().createCase(account.id(), "Secrets probe", "amazon-elastic-compute-cloud-linux", "urgent", "en");
      await("a Slack post made with the bot token").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
          .until(() -> demo.slack().accepted(Demo.SLACK_PATH).stream().anyMatch(post ->
              post.headers().entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("authorization")
                  && h.getValue().contains("Bearer " + slackToken))));
    } finally {
      root.detachAppender(capture);
      root.setLevel(rootLevel);
    }

    assertThat(lines).as("log lines captured").hasSizeGreaterThan(20);
    List<String> leaks = lines.stream()
        .filter(l -> l.contains(secretKey) || l.contains(externalId) || l.contains(slackToken)).toList();
    assertThat(leaks).as("log lines holding the secret key, the ExternalId or the Slack bot token").isEmpty();
  }

  private static String random(int length, String alphabet) {
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
