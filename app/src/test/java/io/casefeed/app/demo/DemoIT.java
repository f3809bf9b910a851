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
import org.openqa.selenium.WebElement;
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

      // The Athena pivot view, run by DuckDB over the sink's objects in S3, says the same.
      await("the case_counts view over S3 equals the ground truth").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(3))
          .untilAsserted(() -> assertThat(pivotFromDuckDb(demo)).isEqualTo(truth));

      if (HeadlessChromium.installed()) {
        checkTheDashboardInABrowser(demo, api, truth);
      } else {
        throw new AssertionError("Chromium and ChromeDriver are required for the dashboard test: apt-get install chromium chromium-driver");
      }
    }
  }

  private void checkTheDashboardInABrowser(Demo demo, String api, Map<String, Map<String, Long>> truth) throws Exception {
    ChromeDriver browser = HeadlessChromium.start(Files.createDirectories(work.resolve("chromium")));
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      browser.get(api + "/#/pivot?rows=account&cols=status");
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#pivot-table tbody tr")));

      Map<String, Map<String, Long>> onPage = new TreeMap<>();
      for (WebElement row : browser.findElements(By.cssSelector("#pivot-table tbody tr"))) {
        String account = row.getAttribute("data-row");
        for (WebElement cell : row.findElements(By.cssSelector("td[data-col]"))) {
          long count = Long.parseLong(cell.getText().trim());
          if (count > 0) {
            onPage.computeIfAbsent(account, a -> new TreeMap<>()).put(cell.getAttribute("data-col"), count);
          }
        }
      }
      assertThat(onPage).isEqualTo(truth);
      Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(screenshot, Path.of("target", "dashboard.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      WebElement firstCell = browser.findElement(By.cssSelector("#pivot-table tbody td[data-col] a"));
      String expectedCount = firstCell.getText().trim();
      firstCell.click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#case-table tbody tr.case-row")));
      assertThat(browser.findElement(By.id("case-count")).getText()).isEqualTo(expectedCount);
      assertThat(browser.findElements(By.cssSelector("#case-table tbody tr.case-row"))).hasSize(Math.min(50, Integer.parseInt(expectedCount)));

      WebElement caseLink = browser.findElement(By.cssSelector("#case-table a.case-link"));
      String displayId = caseLink.getText();
      caseLink.click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.id("case-detail")));
      assertThat(browser.findElement(By.cssSelector("#case-detail h2")).getText()).startsWith("#" + displayId);
      String status = browser.findElement(By.id("case-status")).getText();
      String caseHash = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#/case/") + "#/case/".length());
      JsonNode fromApi = get(api + "/api/cases/" + caseHash);
      assertThat(status).isEqualTo(fromApi.path("caseDetails").path("status").asText());
    } finally {
      browser.quit();
    }
  }

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

  /** {@code casefeed query} over the demo's S3: the case_counts_by_account_status view, as Athena would run it. */
  Map<String, Map<String, Long>> pivotFromDuckDb(Demo demo) throws Exception {
    try (S3Client s3 = S3Clients.create(demo.cloud().s3Endpoint(), "us-east-1", true,
        demo.cloud().accessKeyId(), demo.cloud().secretAccessKey(), Duration.ofSeconds(30))) {
      S3ObjectStore store = new S3ObjectStore(s3, Demo.BUCKET, Backoff.fullJitter(3, Duration.ofMillis(100), Duration.ofSeconds(1)),
          Long.MAX_VALUE, Integer.MAX_VALUE, new SimpleMeterRegistry());
      LocalQuery query = new LocalQuery(store, "casefeed", work.resolve("query-cache"));
      query.sync();
      Map<String, Map<String, Long>> counts = new TreeMap<>();
      for (List<Object> row : query.run("SELECT account_id, status, cases FROM case_counts_by_account_status").rows()) {
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
