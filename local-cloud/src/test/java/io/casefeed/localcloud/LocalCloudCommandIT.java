package io.casefeed.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code casefeed local-cloud} as a user runs it: its own JVM, its printed endpoints, its exit codes. */
class LocalCloudCommandIT {

  @TempDir
  Path dir;

  @Test
  void withFiftyAccountsItPrintsItsEndpointsAndStartTimeThenServesUntilStopped() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), LocalCloudCommand.class.getName(),
        "--port", "0", "--accounts", "50", "--seed", "42", "--data-dir", dir.resolve("data").toString())
        .redirectError(dir.resolve("stderr.txt").toFile()).start();
    try {
      Map<String, String> printed = new LinkedHashMap<>();
      BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = stdout.readLine()) != null) {
        int colon = line.indexOf(": ");
        printed.put(line.substring(0, colon), line.substring(colon + 2));
        if (line.startsWith("started: ")) {
          break;
        }
      }
      assertThat(printed).containsKeys("aws", "s3", "schema-registry", "outbox", "started");
      assertThat(Instant.parse(printed.get("started"))).isBetween(Instant.now().minusSeconds(120), Instant.now());
      assertThat(Path.of(printed.get("outbox"))).isDirectory();

      HttpClient http = HttpClient.newHttpClient();
      JsonNode accounts = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
          URI.create(printed.get("aws") + "/_localcloud/accounts")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertThat(accounts.size()).isEqualTo(50);
      HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(URI.create(printed.get("schema-registry") + "/subjects"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(subjects.body()).isEqualTo("[]");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(printed.get("s3") + "/")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).as("s3 refuses unsigned requests").isEqualTo(403);

      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(dir.resolve("data").resolve("simulation.json")).isRegularFile();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void afterASigkillARestartOnTheSameDataDirContinuesTheSameOrganisation() throws Exception {
    Path data = dir.resolve("killed");
    Process first = startCommand(data);
    String caseId;
    String aws;
    try {
      aws = endpoints(first).get("aws");
      HttpClient http = HttpClient.newHttpClient();
      JsonNode accounts = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(aws + "/_localcloud/accounts"))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      JsonNode created = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(aws + "/_localcloud/cases"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":\"" + accounts.get(0).path("id").asText()
              + "\",\"subject\":\"survives SIGKILL\"}")).build(), HttpResponse.BodyHandlers.ofString()).body());
      caseId = created.path("caseId").asText();
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(data.resolve("simulation.json")).contains(caseId));
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Process second = startCommand(data);
    try {
      String restartedAws = endpoints(second).get("aws");
      String cases = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(restartedAws + "/_localcloud/cases"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(cases).contains(caseId, "survives SIGKILL");
    } finally {
      second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Process startCommand(Path data) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), LocalCloudCommand.class.getName(),
        "--port", "0", "--accounts", "5", "--data-dir", data.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static Map<String, String> endpoints(Process process) throws Exception {
    Map<String, String> printed = new LinkedHashMap<>();
    BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = stdout.readLine()) != null) {
      int colon = line.indexOf(": ");
      printed.put(line.substring(0, colon), line.substring(colon + 2));
      if (line.startsWith("started: ")) {
        break;
      }
    }
    return printed;
  }

  @Test
  void aBadScenarioFileFailsNamingTheLineAndTheReasonWithExitCodeTwo() throws Exception {
    Path scenario = Files.writeString(dir.resolve("org.yaml"), "seed: 3\naccounts: 12\nspeed: -1\n");
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new LocalCloudCommand());
    command.setErr(new PrintWriter(err));
    command.setOut(new PrintWriter(new StringWriter()));
    int exit = command.execute("--port", "0", "--scenario", scenario.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("config error: --scenario " + scenario + ":3: speed must be positive, was -1.0");
  }

  @Test
  void aBadFlagValueIsAConfigError() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new LocalCloudCommand());
    command.setErr(new PrintWriter(err));
    assertThat(command.execute("--port", "0", "--accounts", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("config error: accounts must be between 1 and 10000, was 0");
    assertThat(List.of(err.toString().split("\n"))).hasSize(1);
  }
}
