package io.casefeed.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built casefeed-runtime.jar: only production code, natives for Linux x86_64/aarch64, and it runs. */
class RuntimeJarIT {

  /** What a deployment must never carry: the broker, the stand-ins, s3proxy, the benchmarks, the demo. */
  private static final List<String> FORBIDDEN_PREFIXES = List.of(
      "io/casefeed/kafka/embedded/", "io/casefeed/localcloud/", "io/casefeed/bench/", "io/casefeed/app/demo/",
      "io/casefeed/app/KafkaCommand", "io/casefeed/app/BenchCommand", "io/casefeed/app/Casefeed.class",
      "org/gaul/s3proxy/", "kafka/server/", "kafka/Kafka", "org/apache/kafka/raft/", "org/apache/kafka/controller/",
      "org/apache/kafka/storage/internals/log/", "org/apache/kafka/coordinator/", "scala/",
      "org/apache/pekko/", "org/elasticmq/");

  private static final Path JAR = Path.of(System.getProperty("casefeed.runtime.jar", "target/casefeed-runtime.jar"));

  @Test
  void holdsNoBrokerStandInS3proxyBenchOrDemoClass() throws IOException {
    List<String> names = entries();
    assertThat(names).as("the components are in").contains(
        "io/casefeed/runtime/CasefeedRuntime.class", "io/casefeed/collector/cli/CollectorCommand.class",
        "io/casefeed/streams/cli/StreamsCommand.class", "io/casefeed/sink/cli/SinkCommand.class",
        "io/casefeed/notifier/cli/NotifierCommand.class", "io/casefeed/app/tools/CheckCommand.class");
    for (String prefix : FORBIDDEN_PREFIXES) {
      assertThat(names).as("entries starting with %s", prefix).noneMatch(name -> name.startsWith(prefix));
    }
  }

  @Test
  void carriesNativeLibrariesForLinuxX86And64BitArmOnly() throws IOException {
    List<String> natives = entries().stream().filter(RuntimeJarIT::isNativeLibrary).toList();
    assertThat(natives).as("RocksDB, DuckDB, zstd, lz4 and snappy for both targets").hasSizeGreaterThanOrEqualTo(10)
        .contains("librocksdbjni-linux64.so", "librocksdbjni-linux-aarch64.so",
            "libduckdb_java.so_linux_amd64", "libduckdb_java.so_linux_arm64");
    assertThat(natives).allSatisfy(name -> {
      String lower = name.toLowerCase(Locale.ROOT);
      assertThat(lower).as("native for Linux").containsAnyOf("linux");
      assertThat(lower).as("native for x86_64 or aarch64").containsAnyOf("amd64", "x86_64", "linux64", "aarch64", "arm64");
      assertThat(lower).as("glibc, not musl").doesNotContain("musl");
    });
  }

  @Test
  void runsTheComponentCommandsAndNotTheLocalOnes() throws Exception {
    Run help = run(List.of("-jar", JAR.toString(), "--help"));
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("collector", "streams", "sink", "notifier", "check", "tail", "dlq", "erase");
    assertThat(help.out().lines().map(String::strip).toList()).as("the command list")
        .noneMatch(line -> line.startsWith("demo ") || line.startsWith("local-cloud ") || line.startsWith("kafka ") || line.startsWith("bench "));

    Run version = run(List.of("-jar", JAR.toString(), "--version"));
    assertThat(version.exit()).isZero();
    assertThat(version.out()).startsWith("casefeed ").contains("Kafka clients");

    Run demo = run(List.of("-jar", JAR.toString(), "demo"));
    assertThat(demo.exit()).as("no demo in the runtime jar").isEqualTo(2);
  }

  @Test
  void aComponentStartsAndFailsFastOnBadConfig(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("streams.properties");
    Files.writeString(config, "kafka.bootstrap.servers=127.0.0.1:1\n");
    Run streams = run(List.of("-jar", JAR.toString(), "streams", "--config", config.toString()));
    assertThat(streams.exit()).as("bad config: usage exit code").isEqualTo(2);
    assertThat(streams.out() + streams.err()).contains("config error").contains("schema.registry.url");
  }

  @Test
  void loadsItsNativeLibrariesOnThisPlatform() throws Exception {
    String classPath = JAR + java.io.File.pathSeparator + System.getProperty("casefeed.test.classes", "target/test-classes");
    Run probe = run(List.of("-cp", classPath, NativeProbe.class.getName()));
    assertThat(probe.exit()).as("native probe; stderr: %s", probe.err()).isZero();
    assertThat(probe.out().lines().toList()).containsExactly("rocksdb-ok", "duckdb-ok", "snappy-ok", "zstd-ok");
  }

  private static boolean isNativeLibrary(String name) {
    return !name.endsWith("/") && (name.endsWith(".so") || name.endsWith(".dll") || name.endsWith(".dylib")
        || name.endsWith(".jnilib") || name.contains(".so_"));
  }

  private static List<String> entries() throws IOException {
    assertThat(JAR).as("built by mvn package").isRegularFile();
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream().map(ZipEntry::getName).forEach(names::add);
    }
    return names;
  }

  record Run(int exit, String out, String err) {}

  /** A separate JVM, as a container would start it. */
  private static Run run(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
    command.addAll(args);
    Path out = Files.createTempFile("runtime-out", ".txt");
    Path err = Files.createTempFile("runtime-err", ".txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("no exit within 120 s: " + command);
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
