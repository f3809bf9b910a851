package io.casefeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * AWS's CloudFormation resource schemas as published in npm's {@code @aws-cdk/aws-service-spec}: resource types with
 * their properties, attributes and property types. Read straight from the pinned npm tarball (a gzipped tar holding
 * {@code package/db.json.gz}), fetched into a cache (by .ci/run, or here on first use) and never committed.
 */
final class CfnResourceSpec {

  /** The system property naming the tarball; deploy/pom.xml sets it to the cache that .ci/run fills. */
  static final String TARBALL_PROPERTY = "casefeed.cfn-spec.tarball";
  static final String INTEGRITY_PROPERTY = "casefeed.cfn-spec.integrity";
  static final String VERSION_PROPERTY = "casefeed.cfn-spec.version";
  /** "false" to never download (an offline machine with a pre-filled cache); by default a missing tarball is fetched. */
  static final String FETCH_PROPERTY = "casefeed.cfn-spec.fetch";

  /** The command that fetches the pinned tarball into the cache (and checks its integrity), for failure messages. */
  static String fetchCommand() {
    String tarball = System.getProperty(TARBALL_PROPERTY, "~/.cache/casefeed/cfn-spec/<tarball>");
    return "bash .ci/fetch-cfn-spec   (it runs: cd " + Path.of(tarball).getParent() + " && npm pack @aws-cdk/aws-service-spec@"
        + System.getProperty(VERSION_PROPERTY, "<version in deploy/pom.xml>") + ", then checks the sha512 integrity)";
  }

  private final Map<String, JsonNode> resourcesByType = new HashMap<>();
  private final Map<String, JsonNode> typesById = new HashMap<>();

  private CfnResourceSpec(JsonNode db) {
    JsonNode schema = db.path("schema");
    schema.path("resource").path("entities").forEach(r -> resourcesByType.put(r.path("cloudFormationType").asText(), r));
    schema.path("typeDefinition").path("entities").forEach(t -> typesById.put(t.path("$id").asText(), t));
  }

  /** Loads the tarball named by the system property; fails (never skips) with the command that fetches it. */
  static CfnResourceSpec load() {
    String location = System.getProperty(TARBALL_PROPERTY);
    if (location == null || location.isBlank()) {
      throw new IllegalStateException("system property " + TARBALL_PROPERTY + " is not set (deploy/pom.xml sets it); fetch the spec with: "
          + fetchCommand());
    }
    Path tarball = Path.of(location);
    if (!Files.isRegularFile(tarball) && !"false".equals(System.getProperty(FETCH_PROPERTY))) {
      // So that plain `mvn verify` on a fresh clone works: the integrity check below still guards what was fetched.
      download(System.getProperty(VERSION_PROPERTY), tarball);
    }
    if (!Files.isRegularFile(tarball)) {
      throw new IllegalStateException("CloudFormation resource spec " + tarball + " is missing; fetch it with: " + fetchCommand());
    }
    try {
      byte[] bytes = Files.readAllBytes(tarball);
      String expected = System.getProperty(INTEGRITY_PROPERTY, "");
      String actual = "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
      if (!expected.isEmpty() && !expected.equals(actual)) {
        throw new IllegalStateException(tarball + " has integrity " + actual + ", expected " + expected + "; delete it and fetch again with: "
            + fetchCommand());
      }
      byte[] db = tarEntry(new GZIPInputStream(new ByteArrayInputStream(bytes)), "package/db.json.gz");
      try (InputStream json = new GZIPInputStream(new ByteArrayInputStream(db))) {
        return new CfnResourceSpec(new ObjectMapper().readTree(json));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tarball + "; fetch it again with: " + fetchCommand(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fetches the pinned tarball from the npm registry into {@code target} (atomically); leaves nothing on failure. */
  private static void download(String version, Path target) {
    if (version == null || version.isBlank()) {
      return;
    }
    URI source = URI.create("https://registry.npmjs.org/@aws-cdk/aws-service-spec/-/aws-service-spec-" + version + ".tgz");
    try {
      Files.createDirectories(target.getParent());
      Path partial = Files.createTempFile(target.getParent(), "download-", ".part");
      try {
        HttpResponse<Path> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build()
            .send(HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(5)).GET().build(),
                HttpResponse.BodyHandlers.ofFile(partial));
        if (response.statusCode() == 200) {
          Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      // The caller reports the missing file with the command that fetches it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The bytes of one entry of a ustar stream: 512-byte headers (name at 0, octal size at 124), data padded to 512. */
  private static byte[] tarEntry(InputStream tar, String name) throws IOException {
    byte[] header = new byte[512];
    while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
      String entry = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
      String prefix = new String(header, 345, 155, StandardCharsets.US_ASCII).replace("\0", "");
      long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
      byte[] data = tar.readNBytes((int) size);
      tar.skipNBytes((512 - size % 512) % 512);
      if (name.equals(prefix.isEmpty() ? entry : prefix + "/" + entry)) {
        return data;
      }
    }
    throw new IOException("no " + name + " in the tarball");
  }

  Optional<JsonNode> resource(String cloudFormationType) {
    return Optional.ofNullable(resourcesByType.get(cloudFormationType));
  }

  /** A property type referenced as {@code {"type": "ref", "reference": {"$ref": id}}}. */
  JsonNode type(String id) {
    JsonNode type = typesById.get(id);
    if (type == null) {
      throw new IllegalStateException("the spec references type " + id + " that it does not define");
    }
    return type;
  }

  int resourceTypeCount() {
    return resourcesByType.size();
  }
}
