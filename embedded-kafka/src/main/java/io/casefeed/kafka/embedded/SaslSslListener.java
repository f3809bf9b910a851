package io.casefeed.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second listener for the embedded broker speaking SASL/SCRAM-SHA-512 over TLS on 127.0.0.1, as a
 * production cluster (Confluent Platform, MSK with SCRAM) does; inter-broker traffic stays on the
 * plaintext listener. The TLS key pair is made with the JDK's keytool for this broker alone.
 */
public final class SaslSslListener {

  public static final String MECHANISM = "SCRAM-SHA-512";

  private final Path keystore;
  private final Path truststore;
  private final String storePassword;
  private final Map<String, String> users;

  private SaslSslListener(Path keystore, Path truststore, String storePassword, Map<String, String> users) {
    this.keystore = keystore;
    this.truststore = truststore;
    this.storePassword = storePassword;
    this.users = Map.copyOf(users);
  }

  /** Makes a self-signed key pair for 127.0.0.1/localhost under {@code dir} and a truststore holding its certificate. */
  public static SaslSslListener create(Path dir, String storePassword, Map<String, String> scramUsers) {
    try {
      Files.createDirectories(dir);
      Path keystore = dir.resolve("broker.p12");
      Path certificate = dir.resolve("broker.crt");
      Path truststore = dir.resolve("truststore.p12");
      if (!Files.exists(keystore)) {
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
            "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
            "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", storePassword,
            "-rfc", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
            "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
      }
      return new SaslSslListener(keystore, truststore, storePassword, scramUsers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Broker settings adding the listener on {@code port} beside the plaintext one. */
  Map<String, String> brokerConfig(int plaintextPort, int port, int controllerPort) {
    Map<String, String> config = new HashMap<>();
    config.put("listeners", "PLAINTEXT://127.0.0.1:" + plaintextPort + ",SASL_SSL://127.0.0.1:" + port
        + ",CONTROLLER://127.0.0.1:" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + plaintextPort + ",SASL_SSL://127.0.0.1:" + port);
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
    config.put("sasl.enabled.mechanisms", MECHANISM);
    config.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    config.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
    config.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    config.put("listener.name.sasl_ssl.ssl.keystore.password", storePassword);
    config.put("listener.name.sasl_ssl.ssl.key.password", storePassword);
    return config;
  }

  /** The storage-format arguments that create the SCRAM users. */
  List<String> formatArguments() {
    List<String> arguments = new ArrayList<>();
    users.forEach((user, password) -> {
      arguments.add("--add-scram");
      arguments.add(MECHANISM + "=[name=" + user + ",password=" + password + "]");
    });
    return arguments;
  }

  /** What a client needs, as casefeed's {@code kafka.*} keys (without the prefix). */
  public Map<String, Object> clientSettings(String user, String password) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("security.protocol", "SASL_SSL");
    settings.put("sasl.mechanism", MECHANISM);
    settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user + "\" password=\"" + password + "\";");
    settings.put("ssl.truststore.location", truststore.toString());
    settings.put("ssl.truststore.type", "PKCS12");
    settings.put("ssl.truststore.password", storePassword);
    return settings;
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + args[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running keytool", e);
    }
  }
}
