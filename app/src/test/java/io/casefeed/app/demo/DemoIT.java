package io.casefeed.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.casefeed.sink.query.LocalQuery;
import io.casefeed.common.retry.Backoff;
import io.casefeed.sink.store.S3Clients;
import io.casefeed.sink.store.S3ObjectStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo as a newcomer runs it, in this JVM: after the first sweep, with the simulation paused,
 * the pivot of the query API and of the dashboard page equal local-cloud's ground truth for every
 * simulated account; a person can click through pivot, case list and case page in a real browser.
 */
class DemoIT {

  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path work;

  @Test
  void thePivotOfTheApiAndOfThePageEqualsTheGroundTruth() throws Exception {
    Demo.Options options = new Demo.Options(work.resolve("data"), 8, 30.0, 0, 0, 0, 0, 0, 11L, 3_000, 30_000, "every 2m", 5_000);
    long started = System.nanoTime();
    try (Demo demo = new Demo(options).start()) {
      String api = demo.streams().queryUrl();
      await("first data").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
          .until(() -> get(api + "/api/stats").path("cases").asLong() > 0);
      System.out.printf("demo: first data after %d s%n", Duration.ofNanos(System.nanoTime() - started).toSeconds());

      String metrics = http.send(HttpRequest.newBuilder(URI.create(api + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("casefeed_streams_observations").contains("jvm_memory_used_bytes");

      demo.cloud().simulation().pause();
      Map<String, Map<String, Long>> truth = groundTruthByAccountAndStatus(demo);
      assertThat(truth).isNotEmpty();
      await("pivot equals ground truth").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2))
          .untilAsserted(() -> assertThat(pivotByAccountAndStatus(get(api + "/api/pivot?rows=account&cols=status"))).isEqualTo(truth));

      // The Athena pivot view, run by DuckDB over the sink's objects in S3, says the same, its rows
      // labelled with each account's name from Organizations: "name (id)", as the QuickSight pivot shows them.
      Map<String, Map<String, Long>> truthByLabel = byAccountLabel(demo, truth);
      assertThat(truthByLabel.keySet()).anyMatch(label -> label.endsWith(")"));
      await("the case_counts view over S3 equals the ground truth").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3))
          .untilAsserted(() -> assertThat(pivotFromDuckDb(demo)).isEqualTo(truthByLabel));

      if (HeadlessChromium.installed()) {
        checkTheDashboardInABrowser(demo, api, truth);
      } else {
        throw new AssertionError("Chromium and ChromeDriver are required for the dashboard test: apt-get install chromium chromium-driver");
      }

      // An urgent case opened now is posted to the demo's local Slack, as its alert window closes.
      SimulatedAccount readable = demo.cloud().simulation().accounts().stream()
          .filter(a -> a.supportPlan() && a.hasRole() && "ACTIVE".equals(a.status())).findFirst().orElseThrow();
      SimulatedCase urgent = demo.cloud().simulation().createCase(readable.id(), "Production checkout is down",
          "amazon-elastic-compute-cloud-linux", "urgent", "en");
      long opened = System.nanoTime();
      await("the urgent case's alert on the local Slack").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
          .until(() -> demo.slack().accepted(Demo.SLACK_PATH).stream()
              .anyMatch(post -> new String(post.body(), StandardCharsets.UTF_8).contains(urgent.displayId())));
      System.out.printf("demo: urgent case on Slack %d s after it was opened (alert window 30 s)%n",
          Duration.ofNanos(System.nanoTime() - opened).toSeconds());
      String message = demo.slack().accepted(Demo.SLACK_PATH).stream().map(post -> new String(post.body(), StandardCharsets.UTF_8))
          .filter(body -> body.contains(urgent.displayId())).findFirst().orElseThrow();
      assertThat(message).contains("\"channel\":\"" + Demo.SLACK_CHANNEL + "\"").contains("urgent");
      assertThat(demo.endpoints().get("slack")).startsWith(demo.slack().url("/_receiver/posts"));
      // The same alert as an Adaptive Card on the local Teams.
      await("the urgent case's card on the local Teams").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> demo.slack().accepted(Demo.TEAMS_PATH).stream()
              .anyMatch(post -> new String(post.body(), StandardCharsets.UTF_8).contains(urgent.displayId())));
      // The digest as a summary on Slack, its link downloading the case list from local-cloud's S3.
      String digest = demo.slack().accepted(Demo.SLACK_PATH).stream().map(post -> new String(post.body(), StandardCharsets.UTF_8))
          .filter(body -> body.contains("casefeed digest")).findFirst().orElseThrow();
      Matcher link = Pattern.compile("<(http[^|>]+)\\|Download the case list>").matcher(digest);
      assertThat(link.find()).as(digest).isTrue();
      String url = link.group(1).replace("&amp;", "&");
      await("the case list behind the digest's link").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> {
            HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).startsWith("case-id,status,severity,service,subject,createdtime,case-owner,account-id");
          });

      // The dashboard's Notifications tab lists those posts per channel target, from the notifier's ledger.
      await("the posts in /api/notifications").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .untilAsserted(() -> {
            JsonNode notifications = get(api + "/api/notifications");
            assertThat(notifications.path("reading").asBoolean()).isTrue();
            for (String target : List.of("slack:slack", "teams:teams")) {
              JsonNode listed = java.util.stream.StreamSupport.stream(notifications.path("targets").spliterator(), false)
                  .filter(t -> t.path("target").asText().equals(target)).findFirst().orElseThrow(() -> new AssertionError(target + " not listed"));
              assertThat(listed.path("stages").path("sent").asInt()).as(target).isPositive();
              assertThat(listed.path("refusing").asBoolean()).as(target).isFalse();
              assertThat(listed.path("recent").get(0).path("at").asText()).endsWith("Z");
            }
          });
      checkTheNotificationsTab(api);
    }
  }

  /** The Notifications tab shows a row per channel target, the demo's Slack and Teams among them. */
  private void checkTheNotificationsTab(String api) throws Exception {
    ChromeDriver browser = HeadlessChromium.start(Files.createDirectories(work.resolve("chromium-notifications")));
    try {
      browser.get(api + "/#/notifications");
      new WebDriverWait(browser, Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#notification-table tbody tr[data-target='teams:teams']")));
      List<?> rows = (List<?>) browser.executeScript("return [...document.querySelectorAll('#notification-table tbody tr')]"
          + ".map(row => [row.dataset.target, row.cells[0].textContent.trim(), row.cells[2].textContent.trim()]);");
      assertThat(rows).anySatisfy(row -> {
        List<?> cells = (List<?>) row;
        assertThat(cells.get(0)).isEqualTo("slack:slack");
        assertThat(cells.get(1)).isEqualTo("slack");
        assertThat((String) cells.get(2)).contains("sent");
      });
      assertThat(rows).anySatisfy(row -> assertThat((String) ((List<?>) row).get(0)).isEqualTo("teams:teams"));
      assertThat(browser.findElements(By.id("refusing-targets"))).as("no demo target refuses").isEmpty();
      Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(screenshot, Path.of("target", "notifications.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      browser.quit();
    }
  }

  private void checkTheDashboardInABrowser(Demo demo, String api, Map<String, Map<String, Long>> truth) throws Exception {
    ChromeDriver browser = HeadlessChromium.start(Files.createDirectories(work.resolve("chromium")));
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get(api + "/#/pivot?rows=account&cols=status");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#pivot-table tbody tr")));

      // The page re-renders every 5 s, so each read or click is one script: atomic against the refresh.
      Map<String, Map<String, Long>> onPage = new TreeMap<>();
      for (Object cell : (List<?>) browser.executeScript(
          "return [...document.querySelectorAll('#pivot-table tbody tr')].flatMap(row =>"
              + " [...row.querySelectorAll('td[data-col]')].map(td => [row.dataset.row, td.dataset.col, td.textContent.trim()]));")) {
        List<?> fields = (List<?>) cell;
        long count = Long.parseLong((String) fields.get(2));
        if (count > 0) {
          onPage.computeIfAbsent((String) fields.get(0), a -> new TreeMap<>()).put((String) fields.get(1), count);
        }
      }
      assertThat(onPage).isEqualTo(truth);
      Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(screenshot, Path.of("target", "dashboard.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      String expectedCount = (String) browser.executeScript(
          "const a = document.querySelector('#pivot-table tbody td[data-col] a'); const n = a.textContent.trim(); a.click(); return n;");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#case-table tbody tr.case-row")));
      List<?> listed = (List<?>) browser.executeScript(
          "return [document.getElementById('case-count').textContent, document.querySelectorAll('#case-table tbody tr.case-row').length];");
      assertThat(listed.get(0)).isEqualTo(expectedCount);
      assertThat(((Number) listed.get(1)).intValue()).isEqualTo(Math.min(50, Integer.parseInt(expectedCount)));

      String displayId = (String) browser.executeScript(
          "const a = document.querySelector('#case-table a.case-link'); const id = a.textContent; a.click(); return id;");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("case-detail")));
      List<?> detail = (List<?>) browser.executeScript(
          "return [document.querySelector('#case-detail h2').textContent, document.getElementById('case-status').textContent, location.hash];");
      assertThat((String) detail.get(0)).startsWith("#" + displayId);
      String status = (String) detail.get(1);
      String hash = (String) detail.get(2);
      String caseHash = hash.substring(hash.indexOf("#/case/") + "#/case/".length());
      JsonNode fromApi = get(api + "/api/cases/" + caseHash);
      assertThat(status).isEqualTo(fromApi.path("caseDetails").path("status").asText());

      checkTheTrendCharts(browser, wait, api);
    } finally {
      browser.quit();
    }
  }

  /** The Trends tab draws labelled, non-empty charts with Chart.js: 30 dated days, age buckets, axis titles. */
  @SuppressWarnings("unchecked")
  private void checkTheTrendCharts(ChromeDriver browser, WebDriverWait wait, String api) throws Exception {
    browser.get(api + "/#/trends");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("chart-age")));
    wait.until(d -> Boolean.TRUE.equals(browser.executeScript(
        "return typeof Chart !== 'undefined' && !!Chart.getChart(document.getElementById('chart-per-day'))"
            + " && !!Chart.getChart(document.getElementById('chart-age'))")));
    Map<String, Object> perDay = (Map<String, Object>) browser.executeScript(CHART_FACTS, "chart-per-day");
    Map<String, Object> ages = (Map<String, Object>) browser.executeScript(CHART_FACTS, "chart-age");

    List<String> days = (List<String>) perDay.get("labels");
    assertThat(days).hasSize(30).allMatch(day -> day.matches("\\d{4}-\\d{2}-\\d{2}"));
    assertThat(days.get(29)).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
    assertThat((List<String>) perDay.get("datasets")).containsExactly("opened", "resolved");
    assertThat(((Number) perDay.get("total")).longValue()).as("cases opened or resolved in 30 days").isPositive();
    assertThat((String) perDay.get("xTitle")).isEqualTo("day (UTC)");
    assertThat(((Number) perDay.get("yTicks")).intValue()).as("a value axis with ticks").isGreaterThan(1);
    assertThat(((Number) perDay.get("paintedPixels")).longValue()).as("bars drawn on the canvas").isPositive();

    JsonNode stats = get(api + "/api/stats");
    assertThat((List<String>) ages.get("labels"))
        .containsExactly("under 1 day", "1 to 3 days", "3 to 7 days", "7 to 30 days", "over 30 days");
    assertThat(((Number) ages.get("total")).longValue()).isPositive().isCloseTo(stats.path("open").asLong(),
        org.assertj.core.data.Percentage.withPercentage(50));
    assertThat(((Number) ages.get("paintedPixels")).longValue()).isPositive();
    Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(screenshot, Path.of("target", "trends.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** What a reader of one chart sees, read from Chart.js and the canvas. */
  private static final String CHART_FACTS = """
      const canvas = document.getElementById(arguments[0]);
      const chart = Chart.getChart(canvas);
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
      return {
        labels: chart.data.labels,
        datasets: chart.data.datasets.map(d => d.label),
        total: chart.data.datasets.flatMap(d => d.data).reduce((a, b) => a + b, 0),
        xTitle: chart.options.scales.x.title.text,
        yTicks: chart.scales.y.ticks.length,
        paintedPixels: painted
      };
      """;

  /** Cases per account and status in every account casefeed can read, as local-cloud holds them now. */
  static Map<String, Map<String, Long>> groundTruthByAccountAndStatus(Demo demo) {
    Map<String, Map<String, Long>> truth = new TreeMap<>();
    for (SimulatedAccount account : demo.cloud().simulation().accounts()) {
      if (!account.supportPlan() || !account.hasRole() || !"ACTIVE".equals(account.status())) {
        continue;
      }
      List<SimulatedCase> cases = demo.cloud().simulation().cases(account.id());
      for (SimulatedCase c : cases) {
        truth.computeIfAbsent(account.id(), a -> new TreeMap<>()).merge(c.status(), 1L, Long::sum);
      }
    }
    return truth;
  }

  /** The ground truth with each account id replaced by the pivot's label: "name (id)", or the id when it has no name. */
  static Map<String, Map<String, Long>> byAccountLabel(Demo demo, Map<String, Map<String, Long>> truth) {
    Map<String, String> names = new TreeMap<>();
    for (SimulatedAccount account : demo.cloud().simulation().accounts()) {
      if (account.name() != null && !account.name().isBlank()) {
        names.put(account.id(), account.name().strip());
      }
    }
    Map<String, Map<String, Long>> labelled = new TreeMap<>();
    truth.forEach((id, counts) -> labelled.put(names.containsKey(id) ? names.get(id) + " (" + id + ")" : id, counts));
    return labelled;
  }

  /** {@code casefeed query} over the demo's S3: the case_counts_by_account_status view by its account label, as Athena would run it. */
  Map<String, Map<String, Long>> pivotFromDuckDb(Demo demo) throws Exception {
    try (S3Client s3 = S3Clients.create(demo.cloud().s3Endpoint(), "us-east-1", true,
        demo.cloud().accessKeyId(), demo.cloud().secretAccessKey(), Duration.ofSeconds(30))) {
      S3ObjectStore store = new S3ObjectStore(s3, Demo.BUCKET, Backoff.fullJitter(3, Duration.ofMillis(100), Duration.ofSeconds(1)),
          Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry());
      LocalQuery query = new LocalQuery(store, "casefeed", work.resolve("query-cache"));
      query.sync();
      Map<String, Map<String, Long>> counts = new TreeMap<>();
      for (List<Object> row : query.run("SELECT account, status, cases FROM case_counts_by_account_status").rows()) {
        counts.computeIfAbsent(row.get(0).toString(), a -> new TreeMap<>()).put(row.get(1).toString(), ((Number) row.get(2)).longValue());
      }
      return counts;
    }
  }

  static Map<String, Map<String, Long>> pivotByAccountAndStatus(JsonNode pivot) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (JsonNode row : pivot.path("data")) {
      row.path("counts").fields().forEachRemaining(cell -> {
        if (cell.getValue().asLong() > 0) {
          counts.computeIfAbsent(row.path("row").asText(), a -> new TreeMap<>()).put(cell.getKey(), cell.getValue().asLong());
        }
      });
    }
    return counts;
  }

  JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
