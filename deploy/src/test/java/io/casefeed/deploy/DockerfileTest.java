package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The Dockerfile builds the reactor in a Maven stage and runs the one jar on a JRE as a non-root user. */
class DockerfileTest {

  /** One instruction, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  private final List<List<Instruction>> stages = stages(RepoFiles.read(RepoFiles.file("Dockerfile")));

  @Test
  void buildsWithMavenAndRunsOnAJre() {
    assertThat(stages).hasSize(2);
    assertThat(stages.get(0).get(0).arguments()).isEqualToIgnoringCase("maven:3.9-eclipse-temurin-17 AS build");
    assertThat(instructions(0, "RUN")).anyMatch(run -> run.endsWith("mvn -B -DskipTests package"));
    assertThat(instructions(0, "COPY")).contains(". .");
    assertThat(stages.get(1).get(0).arguments()).isEqualTo("eclipse-temurin:17-jre");
  }

  @Test
  void theRuntimeHoldsTheShadedJarAndRunsItAsNonRoot() {
    assertThat(instructions(1, "COPY")).contains("--from=build /src/app/target/casefeed.jar /opt/casefeed/casefeed.jar");
    List<String> users = instructions(1, "USER");
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1);
    assertThat(user).as("the last USER").isNotIn("root", "0", "0:0");
    assertThat(instructions(1, "RUN")).anyMatch(run -> run.contains("useradd") && run.contains(" " + user));
    List<String> entrypoints = instructions(1, "ENTRYPOINT");
    assertThat(entrypoints).containsExactly("[\"java\", \"-jar\", \"/opt/casefeed/casefeed.jar\"]");
    int userIndex = indexOf(1, "USER");
    assertThat(userIndex).as("USER comes before ENTRYPOINT").isLessThan(indexOf(1, "ENTRYPOINT"));
    assertThat(instructions(1, "RUN")).as("curl for the compose health checks").anyMatch(run -> run.contains("install") && run.contains("curl"));
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
