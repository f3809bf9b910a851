package io.casefeed.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code docker compose config -q} (Compose v2, or the older {@code docker-compose}) where one
 * is installed. {@code config} only reads the files: it needs no Docker engine.
 */
final class ComposeCli {

  private static final Logger LOG = LoggerFactory.getLogger(ComposeCli.class);
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  record Result(int exitCode, String output) {}

  private record Cli(List<String> command, int[] version) {}

  private static final Cli CLI = detect();

  private ComposeCli() {}

  /** The outcome of {@code config -q} on these files, or null (logged) when no compose CLI is installed. */
  static Result config(List<String> files, Map<String, String> environment) throws IOException, InterruptedException {
    if (CLI == null) {
      LOG.warn("no compose CLI here (neither 'docker compose' nor 'docker-compose'): {} checked by parsing only", files);
      return null;
    }
    List<String> command = new ArrayList<>(CLI.command());
    for (String file : files) {
      command.add("-f");
      command.add(file);
    }
    command.add("config");
    command.add("-q");
    LOG.info("running {}", String.join(" ", command));
    return run(command, environment);
  }

  /** {@code !override} and {@code !reset} arrived in Compose 2.24.4; older CLIs cannot read the AWS override. */
  static boolean supportsMergeTags() {
    if (CLI == null) {
      return false;
    }
    int[] v = CLI.version();
    boolean supported = v[0] > 2 || v[0] == 2 && (v[1] > 24 || v[1] == 24 && v[2] >= 4);
    if (!supported) {
      LOG.warn("compose {}.{}.{} predates !override: docker-compose.aws.yml checked by parsing only", v[0], v[1], v[2]);
    }
    return supported;
  }

  private static Cli detect() {
    for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      try {
        List<String> command = new ArrayList<>(candidate);
        command.add("version");
        Result result = run(command, Map.of());
        Matcher version = VERSION.matcher(result.output());
        if (result.exitCode() == 0 && version.find()) {
          LOG.info("compose CLI: {} {}", String.join(" ", candidate), version.group());
          return new Cli(candidate, new int[] {
            Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)), Integer.parseInt(version.group(3))});
        }
      } catch (IOException e) {
        // Not installed: try the next one.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(RepoFiles.ROOT.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, String.join(" ", command) + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
