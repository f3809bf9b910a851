package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds the reactor in a Maven stage; the default (last) stage runs the lean runtime jar on a
 * JRE as a non-root user, and a dev stage carries the full jar for local-cloud and the demo.
 */
class DockerfileTest {

  /** One instruction, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  private final List<List<Instruction>> stages = stages(RepoFiles.read(RepoFiles.file("Dockerfile")));

  @Test
  void buildsWithMavenAndRunsOnAJre() {
    assertThat(stages).hasSize(4);
    assertThat(stages.get(0).get(0).arguments()).isEqualToIgnoringCase("maven:3.9-eclipse-temurin-17 AS build");
    assertThat(instructions(0, "RUN")).anyMatch(run -> run.endsWith("mvn -B -DskipTests package"));
    assertThat(instructions(0, "COPY")).contains(". .");
    assertThat(stages.get(1).get(0).arguments()).isEqualTo("eclipse-temurin:17-jre AS base");
    assertThat(stages.get(2).get(0).arguments()).isEqualTo("base AS dev");
    assertThat(stages.get(3).get(0).arguments()).as("the default target is the last stage").isEqualTo("base AS runtime");
  }

  @Test
  void theDefaultImageHoldsTheRuntimeJarAndRunsItAsNonRoot() {
    int runtime = 3;
    assertThat(instructions(runtime, "COPY"))
        .containsExactly("--from=build /src/runtime/target/casefeed-runtime.jar /opt/casefeed/casefeed-runtime.jar");
    assertThat(instructions(runtime, "ENTRYPOINT")).containsExactly("[\"java\", \"-jar\", \"/opt/casefeed/casefeed-runtime.jar\"]");
    assertRunsAsTheBaseUser(runtime);
  }

  @Test
  void theDevImageHoldsTheFullJarWithTheDemoAndStandIns() {
    int dev = 2;
    assertThat(instructions(dev, "COPY")).containsExactly("--from=build /src/app/target/casefeed.jar /opt/casefeed/casefeed.jar");
    assertThat(instructions(dev, "ENTRYPOINT")).containsExactly("[\"java\", \"-jar\", \"/opt/casefeed/casefeed.jar\"]");
    assertRunsAsTheBaseUser(dev);
  }

  @Test
  void theBaseHasCurlANonRootUserAndAHeapShareThatLeavesRoomOffHeap() {
    assertThat(instructions(1, "RUN")).as("curl for the compose health checks").anyMatch(run -> run.contains("install") && run.contains("curl"));
    assertThat(instructions(1, "RUN")).anyMatch(run -> run.contains("useradd") && run.contains(" casefeed"));
    assertThat(instructions(1, "ENV")).anyMatch(env -> env.contains("-XX:MaxRAMPercentage=50"));
  }

  private void assertRunsAsTheBaseUser(int stage) {
    List<String> users = instructions(stage, "USER");
    assertThat(users).as("stage %d sets its user", stage).isNotEmpty();
    String user = users.get(users.size() - 1);
    assertThat(user).as("the last USER").isNotIn("root", "0", "0:0");
    assertThat(instructions(1, "RUN")).anyMatch(run -> run.contains("useradd") && run.contains(" " + user));
    assertThat(indexOf(stage, "USER")).as("USER comes before ENTRYPOINT").isLessThan(indexOf(stage, "ENTRYPOINT"));
  }

  @Test
  void theBuildContextLeavesOutBuildOutputsAndGit() {
    List<String> ignored = RepoFiles.read(RepoFiles.file(".dockerignore")).lines()
        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    assertThat(ignored).contains(".git", "**/target");
    assertThat(ignored).as("the build needs every module's sources and poms").noneMatch(line -> line.endsWith(".java") || line.endsWith("pom.xml"));
  }

  private List<String> instructions(int stage, String keyword) {
    return stages.get(stage).stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
  }

  private int indexOf(int stage, String keyword) {
    List<Instruction> instructions = stages.get(stage);
    for (int i = instructions.size() - 1; i >= 0; i--) {
      if (instructions.get(i).keyword().equals(keyword)) {
        return i;
      }
    }
    return -1;
  }

  private static List<List<Instruction>> stages(String dockerfile) {
    List<List<Instruction>> stages = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : dockerfile.lines().toList()) {
      String stripped = line.strip();
      if (stripped.startsWith("#") || stripped.isEmpty() && pending.isEmpty()) {
        continue;
      }
      if (stripped.endsWith("\\")) {
        pending.append(stripped, 0, stripped.length() - 1).append(' ');
        continue;
      }
      pending.append(stripped);
      String text = pending.toString().replaceAll("\\s+", " ").strip();
      pending.setLength(0);
      int space = text.indexOf(' ');
      Instruction instruction = new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1));
      if (instruction.keyword().equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      assertThat(stages).as("an instruction before the first FROM: %s", text).isNotEmpty();
      stages.get(stages.size() - 1).add(instruction);
    }
    return stages;
  }
}
