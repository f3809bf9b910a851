package io.casefeed.localcloud;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The simulated organisation: how many accounts, their traits, how many cases, the language mix,
 * how fast cases change, and the SES sandbox. Read from JSON or YAML ({@link #load(Path)}); every
 * key is optional. Generation is deterministic for a seed.
 *
 * @param seed drives every random choice of the generator and the lifecycle
 * @param accounts how many accounts the organisation has, the management account included
 * @param managementAccountId 12 digits; derived from the seed when absent
 * @param accessKeyId the management account's static access key
 * @param secretAccessKey its secret
 * @param roleName the role every member account offers to the management account
 * @param externalId when set, AssumeRole must carry exactly this ExternalId
 * @param minCases fewest cases of an ordinary account
 * @param maxCases most cases of an ordinary account
 * @param hotCases cases of a hot account, half in English and half in Japanese
 * @param languages the language mix of new cases (weights)
 * @param eventsPerHour lifecycle events per hour across the organisation, before {@code speed}
 * @param speed multiplies the event rate; never moves the clock
 * @param sesSandbox when true, mail to an unverified identity is rejected too (from one, always)
 * @param verifiedIdentities addresses or domains verified in SES; {@link #DEFAULT_VERIFIED_IDENTITIES} when absent
 * @param accountOverrides traits and exact case counts of chosen accounts, by index
 */
public record Scenario(
    Long seed,
    Integer accounts,
    String managementAccountId,
    String accessKeyId,
    String secretAccessKey,
    String roleName,
    String externalId,
    Integer minCases,
    Integer maxCases,
    Integer hotCases,
    Map<String, Double> languages,
    Double eventsPerHour,
    Double speed,
    Boolean sesSandbox,
    List<String> verifiedIdentities,
    List<AccountSpec> accountOverrides) {

  public static final List<String> SUPPORTED_LANGUAGES = List.of("en", "ja", "zh", "ko");
  /**
   * Verified when a scenario names none: the domain of every address the demo, the seed and the tests
   * send from, so they keep working now that SES refuses an unverified sender in and out of the sandbox.
   */
  public static final List<String> DEFAULT_VERIFIED_IDENTITIES = List.of("example.com");

  public Scenario {
    seed = seed == null ? 42L : seed;
    accounts = accounts == null ? 10 : accounts;
    require(accounts >= 1 && accounts <= 10_000, "accounts", "accounts must be between 1 and 10000, was " + accounts);
    require(managementAccountId == null || managementAccountId.matches("\\d{12}"), "managementAccountId",
        "managementAccountId must be 12 digits, was " + managementAccountId);
    accessKeyId = accessKeyId == null ? "test" : accessKeyId;
    secretAccessKey = secretAccessKey == null ? "test" : secretAccessKey;
    require(!accessKeyId.isBlank() && !secretAccessKey.isBlank(), "accessKeyId", "accessKeyId and secretAccessKey must not be blank");
    roleName = roleName == null ? "GetSupportInfoRole" : roleName;
    minCases = minCases == null ? 5 : minCases;
    maxCases = maxCases == null ? 40 : maxCases;
    require(minCases >= 0 && maxCases >= minCases, "minCases", "need 0 <= minCases <= maxCases, was " + minCases + ".." + maxCases);
    hotCases = hotCases == null ? 700 : hotCases;
    require(hotCases >= 0, "hotCases", "hotCases must not be negative");
    languages = languages == null ? Map.of("en", 0.85, "ja", 0.07, "zh", 0.04, "ko", 0.04) : Map.copyOf(languages);
    for (Map.Entry<String, Double> weight : languages.entrySet()) {
      require(SUPPORTED_LANGUAGES.contains(weight.getKey()), "languages",
          "languages: unknown language '" + weight.getKey() + "', expected one of " + SUPPORTED_LANGUAGES);
      require(weight.getValue() != null && weight.getValue() >= 0, "languages", "languages: weight of " + weight.getKey() + " must be >= 0");
    }
    require(languages.values().stream().mapToDouble(Double::doubleValue).sum() > 0, "languages", "languages: weights sum to 0");
    eventsPerHour = eventsPerHour == null ? 60.0 : eventsPerHour;
    require(eventsPerHour >= 0, "eventsPerHour", "eventsPerHour must not be negative");
    speed = speed == null ? 1.0 : speed;
    require(speed > 0, "speed", "speed must be positive, was " + speed);
    sesSandbox = sesSandbox != null && sesSandbox;
    verifiedIdentities = verifiedIdentities == null ? DEFAULT_VERIFIED_IDENTITIES : List.copyOf(verifiedIdentities);
    accountOverrides = accountOverrides == null ? List.of() : List.copyOf(accountOverrides);
    for (AccountSpec spec : accountOverrides) {
      require(spec.index() < accounts, "accountOverrides", "accountOverrides: index " + spec.index() + " but only " + accounts + " accounts");
    }
  }

  /** The default organisation: {@code accounts} accounts, the traits spread by index. */
  public static Scenario of(int accounts, long seed) {
    return new Scenario(seed, accounts, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  public Scenario withAccounts(int count) {
    return new Scenario(seed, count, managementAccountId, accessKeyId, secretAccessKey, roleName, externalId, minCases,
        maxCases, hotCases, languages, eventsPerHour, speed, sesSandbox, verifiedIdentities, accountOverrides);
  }

  public Scenario withSeed(long newSeed) {
    return new Scenario(newSeed, accounts, managementAccountId, accessKeyId, secretAccessKey, roleName, externalId,
        minCases, maxCases, hotCases, languages, eventsPerHour, speed, sesSandbox, verifiedIdentities, accountOverrides);
  }

  public Scenario withSpeed(double newSpeed) {
    return new Scenario(seed, accounts, managementAccountId, accessKeyId, secretAccessKey, roleName, externalId,
        minCases, maxCases, hotCases, languages, eventsPerHour, newSpeed, sesSandbox, verifiedIdentities, accountOverrides);
  }

  /** The spec for the account at {@code index}, if the scenario names one. */
  public AccountSpec overrideFor(int index) {
    return accountOverrides.stream().filter(spec -> spec.index() == index).findFirst().orElse(null);
  }

  /**
   * Traits and exact contents of one account, by its index in the organisation (0 = management).
   *
   * @param openCases when set, exactly this many unresolved cases in {@code language}
   * @param resolvedCases when set, exactly this many resolved cases in {@code language}
   * @param throttled a standing throttle of 2 calls/s on every Support operation of this account
   */
  public record AccountSpec(
      int index,
      String name,
      String status,
      Boolean supportPlan,
      Boolean hasRole,
      Boolean hot,
      Boolean throttled,
      Integer openCases,
      Integer resolvedCases,
      String language) {

    public AccountSpec {
      require(index >= 0, "index", "accountOverrides: index must not be negative");
      status = status == null ? null : status.toUpperCase(Locale.ROOT);
      require(status == null || status.equals(SimulatedAccount.ACTIVE) || status.equals(SimulatedAccount.SUSPENDED), "status",
          "accountOverrides: status must be ACTIVE or SUSPENDED, was " + status);
      require(openCases == null || openCases >= 0, "openCases", "accountOverrides: openCases must not be negative");
      require(resolvedCases == null || resolvedCases >= 0, "resolvedCases", "accountOverrides: resolvedCases must not be negative");
      language = language == null ? "en" : language;
      require(SUPPORTED_LANGUAGES.contains(language), "language", "accountOverrides: unknown language '" + language + "'");
    }
  }

  /** Reads a scenario from JSON or YAML (by extension: .yaml/.yml, else JSON); errors name the line. */
  public static Scenario load(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ScenarioException(file, 0, "cannot read: " + e.getMessage());
    }
    try {
      return Objects.requireNonNull(mapper.readValue(text, Scenario.class), "empty scenario");
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      int line = where == null ? 0 : where.getLineNr();
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String reason = e.getOriginalMessage();
      if (root instanceof InvalidValue invalid) {
        reason = invalid.getMessage();
        line = Math.max(lineOf(text, invalid.key), 0);
      } else if (e instanceof UnrecognizedPropertyException unknown) {
        reason = "unknown key '" + unknown.getPropertyName() + "'; known keys: " + unknown.getKnownPropertyIds();
        int keyLine = lineOf(text, unknown.getPropertyName());
        line = keyLine > 0 ? keyLine : line;
      }
      throw new ScenarioException(file, line, reason);
    } catch (NullPointerException e) {
      throw new ScenarioException(file, 1, "the file holds no scenario");
    }
  }

  private static void require(boolean condition, String key, String reason) {
    if (!condition) {
      throw new InvalidValue(key, reason);
    }
  }

  /** A value the scenario cannot use; {@code key} lets the loader find its line. */
  static final class InvalidValue extends IllegalArgumentException {
    private final String key;

    InvalidValue(String key, String reason) {
      super(reason);
      this.key = key;
    }
  }

  /** The 1-based line where {@code key} is first set in a JSON or YAML text, 0 when not found. */
  private static int lineOf(String text, String key) {
    Pattern keyPattern = Pattern.compile("^\\s*(?:-\\s*)?[\"']?" + Pattern.quote(key) + "[\"']?\\s*:|[{,]\\s*[\"']?"
        + Pattern.quote(key) + "[\"']?\\s*:");
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (keyPattern.matcher(lines[i]).find()) {
        return i + 1;
      }
    }
    return 0;
  }
}
