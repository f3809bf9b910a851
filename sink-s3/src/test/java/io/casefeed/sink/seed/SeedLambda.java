package io.casefeed.sink.seed;

import io.casefeed.localcloud.LocalCloud;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The seed's Lambda code, run as its schedule would run it but against a local-cloud: the very files
 * local-cloud's ExternalClientsIT runs (the article's lambda_function.py with its placeholders read
 * from SEED_* variables, and invoke_locally.py, which points boto3 at local-cloud), taken from
 * local-cloud's test resources so that there is one copy of the seed.
 */
final class SeedLambda {

  static final String PYTHON = "/usr/bin/python3";
  /** Where the seed uploads its report: fixed in its code. */
  static final String REPORT_KEY = "casefile/case_list.csv";
  static final Path SCRIPTS = Path.of("..", "local-cloud", "src", "test", "resources", "seed-lambda").toAbsolutePath().normalize();

  /** How one invocation ended: a failing run is a result, as Lambda reports it, not an exception. */
  record Run(int exitCode, String stdout, String stderr) {
  }

  private SeedLambda() {
  }

  /**
   * Invokes the seed with the management account's keys; it reads its account file from
   * {@code bucket/accountsKey}, asks for cases created in the last {@code -deltaDays} days and mails
   * {@code sender} to {@code recipients} (comma-separated).
   */
  static Run invoke(LocalCloud cloud, Path workDir, String bucket, String accountsKey, int deltaDays, String sender,
      String recipients) throws IOException, InterruptedException {
    Path handler = SCRIPTS.resolve("lambda_function.py");
    if (!Files.isRegularFile(handler)) {
      throw new IllegalStateException("the seed's Lambda code is not at " + handler + " (run from the sink-s3 module)");
    }
    Path stdout = Files.createTempFile(workDir, "seed-stdout", ".txt");
    Path stderr = Files.createTempFile(workDir, "seed-stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(PYTHON, SCRIPTS.resolve("invoke_locally.py").toString(), handler.toString())
        .directory(workDir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    // Nothing of the developer's AWS set-up may leak in: the seed sees only what a Lambda would.
    env.keySet().removeIf(key -> key.startsWith("AWS_"));
    env.put("HOME", workDir.toString());
    env.put("AWS_CONFIG_FILE", workDir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", cloud.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", cloud.secretAccessKey());
    env.put("LOCALCLOUD_AWS", cloud.awsEndpoint().toString());
    env.put("LOCALCLOUD_S3", cloud.s3Endpoint().toString());
    env.put("SEED_BUCKET", bucket);
    env.put("SEED_ACCOUNTS_KEY", accountsKey);
    env.put("SEED_SES_SENDFROM", sender);
    env.put("SEED_SES_SENDTO", recipients);
    env.put("SEED_SES_REGION", "us-east-1");
    env.put("SEED_DELTA_DAYS", Integer.toString(deltaDays));
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the seed Lambda did not finish within 120 s");
    }
    return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
