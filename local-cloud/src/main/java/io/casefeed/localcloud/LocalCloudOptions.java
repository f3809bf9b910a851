package io.casefeed.localcloud;

import java.nio.file.Path;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;

/**
 * How to start a {@link LocalCloud}. Flags given here override the scenario's values.
 *
 * @param port the AWS endpoint's port, 0 = a free one
 * @param s3Port the S3 server's port, 0 = a free one (the CLI uses port + 1)
 * @param schemaRegistryPort the registry's port, 0 = a free one (the CLI uses port + 2)
 * @param sqsPort the SQS server's port, 0 = a free one
 * @param dataDir where state lives; null = a fresh temporary directory
 * @param meterRegistry where the calls served are counted ({@code localcloud.aws.calls})
 */
public record LocalCloudOptions(int port, int s3Port, int schemaRegistryPort, Path dataDir, Scenario scenario, Clock clock,
    MeterRegistry meterRegistry, String bindAddress, int sqsPort) {

  /** The host in the endpoint URLs it prints: the bind address, or loopback when bound to every interface. */
  public String advertisedHost() {
    return "0.0.0.0".equals(bindAddress) || "::".equals(bindAddress) ? "127.0.0.1" : bindAddress;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int port;
    private int s3Port;
    private int schemaRegistryPort;
    private int sqsPort;
    private Path dataDir;
    private Scenario scenario;
    private Path scenarioFile;
    private Integer accounts;
    private Long seed;
    private Double speed;
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meterRegistry;
    private String bindAddress = "127.0.0.1";

    /** Where every server listens: 127.0.0.1 by default; 0.0.0.0 in a container that others must reach. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder s3Port(int port) {
      this.s3Port = port;
      return this;
    }

    public Builder schemaRegistryPort(int port) {
      this.schemaRegistryPort = port;
      return this;
    }

    public Builder sqsPort(int port) {
      this.sqsPort = port;
      return this;
    }

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder accounts(int accounts) {
      this.accounts = accounts;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder speed(double speed) {
      this.speed = speed;
      return this;
    }

    public Builder scenario(Scenario scenario) {
      this.scenario = scenario;
      return this;
    }

    /** Read at {@link #build()}; a bad file throws {@link ScenarioException} naming the line. */
    public Builder scenarioFile(Path file) {
      this.scenarioFile = file;
      return this;
    }

    /** The clock of every timestamp local-cloud makes; the system's UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Metrics of the calls served; a private in-memory registry by default. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    public LocalCloudOptions build() {
      Scenario chosen = scenario != null ? scenario : scenarioFile != null ? Scenario.load(scenarioFile) : Scenario.of(10, 42L);
      if (accounts != null) {
        chosen = chosen.withAccounts(accounts);
      }
      if (seed != null) {
        chosen = chosen.withSeed(seed);
      }
      if (speed != null) {
        chosen = chosen.withSpeed(speed);
      }
      return new LocalCloudOptions(port, s3Port, schemaRegistryPort, dataDir, chosen, clock,
          meterRegistry != null ? meterRegistry : new SimpleMeterRegistry(), bindAddress, sqsPort);
    }
  }
}
