package io.casefeed.localcloud.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access keys local-cloud accepts, by access key id: the management account's static key and the
 * temporary credentials AssumeRole issued, kept in memory and appended to {@code credentials.jsonl}
 * under the data dir (one JSON line each, so issuing stays cheap), which a restart reads back and
 * compacts to the credentials still valid.
 */
public final class CredentialStore {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private final Map<String, IssuedCredentials> byAccessKey = new ConcurrentHashMap<>();
  private final Path file;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

  /** The IAM user whose static key the scenario names: casefeed runs as it, as a real deployment runs as a principal, not root. */
  public static final String MANAGEMENT_USER = "casefeed";
  /** Appended to the scenario's access key: the management account's root user, there only to be refused as AWS refuses it. */
  public static final String ROOT_KEY_SUFFIX = "-root";

  public static IssuedCredentials managementUser(String accessKeyId, String secret, String accountId) {
    String userId = "AIDA" + Integer.toHexString((accountId + MANAGEMENT_USER).hashCode()).toUpperCase(java.util.Locale.ROOT) + "EXAMPLE";
    return new IssuedCredentials(accessKeyId, secret, null, null, accountId, userId,
        "arn:aws:iam::" + accountId + ":user/" + MANAGEMENT_USER);
  }

  public static IssuedCredentials managementRoot(String accessKeyId, String secret, String accountId) {
    return new IssuedCredentials(accessKeyId + ROOT_KEY_SUFFIX, secret, null, null, accountId, accountId,
        "arn:aws:iam::" + accountId + ":root");
  }

  public CredentialStore(Path dataDir, Clock clock, IssuedCredentials... staticKeys) {
    this.file = dataDir.resolve("credentials.jsonl");
    this.clock = clock;
    try {
      List<String> live = new ArrayList<>();
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          IssuedCredentials saved = json.readValue(line, IssuedCredentials.class);
          if (!expired(saved)) {
            byAccessKey.put(saved.accessKeyId(), saved);
            live.add(line);
          }
        }
      }
      Path temporary = file.resolveSibling("credentials.jsonl.tmp");
      Files.write(temporary, live, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read issued credentials " + file, e);
    }
    for (IssuedCredentials key : staticKeys) {
      byAccessKey.put(key.accessKeyId(), key);
    }
  }

  public IssuedCredentials find(String accessKeyId) {
    return byAccessKey.get(accessKeyId);
  }

  /** Temporary credentials for {@code arn} in {@code accountId}, valid for {@code duration}. */
  public IssuedCredentials issue(String accountId, String userId, String arn, Duration duration) {
    String accessKeyId = "ASIA" + randomText(16);
    byte[] secret = new byte[30];
    byte[] token = new byte[96];
    random.nextBytes(secret);
    random.nextBytes(token);
    IssuedCredentials issued = new IssuedCredentials(accessKeyId, Base64.getEncoder().encodeToString(secret),
        Base64.getEncoder().encodeToString(token), clock.instant().plus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        accountId, userId, arn);
    byAccessKey.put(accessKeyId, issued);
    append(issued);
    return issued;
  }

  private String randomText(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return text.toString();
  }

  /** The injected clock's now: what credential expiry and SigV4's date checks are measured against. */
  public java.time.Instant now() {
    return clock.instant();
  }

  public boolean expired(IssuedCredentials credentials) {
    return credentials.expiration() != null && !clock.instant().isBefore(credentials.expiration());
  }

  private synchronized void append(IssuedCredentials issued) {
    try {
      Files.writeString(file, json.writeValueAsString(issued) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save issued credentials to " + file, e);
    }
  }
}
