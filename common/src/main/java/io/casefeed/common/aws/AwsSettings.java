package io.casefeed.common.aws;

import io.casefeed.common.config.CommonConfig;
import java.net.URI;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The one vocabulary every casefeed app uses to reach AWS: {@code aws.region},
 * {@code aws.endpoint.override} (every service, e.g. local-cloud), {@code aws.<service>.endpoint.override}
 * and {@code aws.<service>.region} (one service), {@code aws.access.key.id} and
 * {@code aws.secret.access.key} (static credentials; otherwise the SDK's default chain), and
 * {@code aws.s3.path.style}. Each app defines the keys for the services it calls.
 *
 * @param region the region of every service without its own
 * @param endpointOverride null for AWS itself
 * @param serviceEndpoints endpoint per service (lower-case SDK service name), overriding {@code endpointOverride}
 * @param serviceRegions region per service, overriding {@code region}
 * @param accessKeyId null to use the default credentials chain
 */
public record AwsSettings(String region, URI endpointOverride, Map<String, URI> serviceEndpoints,
    Map<String, String> serviceRegions, String accessKeyId, Password secretAccessKey, boolean s3PathStyle) {

  public static final String REGION = "aws.region";
  public static final String ENDPOINT_OVERRIDE = "aws.endpoint.override";
  public static final String ACCESS_KEY_ID = "aws.access.key.id";
  public static final String SECRET_ACCESS_KEY = "aws.secret.access.key";
  public static final String S3_PATH_STYLE = "aws.s3.path.style";

  public AwsSettings {
    serviceEndpoints = Map.copyOf(serviceEndpoints);
    serviceRegions = Map.copyOf(serviceRegions);
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new ConfigException(SECRET_ACCESS_KEY, "[hidden]", "set both " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + ", or neither");
    }
  }

  public static String endpointOverrideKey(String service) {
    return "aws." + service.toLowerCase(Locale.ROOT) + ".endpoint.override";
  }

  public static String regionKey(String service) {
    return "aws." + service.toLowerCase(Locale.ROOT) + ".region";
  }

  /**
   * Defines the keys for calling {@code services}.
   *
   * @param defaultRegion null when the app derives the region itself (the collector, from the partition)
   * @param regionalServices services that may live in another region than the rest (SES, SQS)
   */
  public static ConfigDef define(ConfigDef def, String defaultRegion, Collection<String> services, Collection<String> regionalServices) {
    def.define(REGION, Type.STRING, defaultRegion, Importance.MEDIUM,
            "AWS region of every service without its own aws.<service>.region.")
        .define(ENDPOINT_OVERRIDE, Type.STRING, null, new CommonConfig.UrlValidator(), Importance.LOW,
            "Endpoint of every AWS service (e.g. local-cloud's http://127.0.0.1:4566); unset = AWS itself.")
        .define(ACCESS_KEY_ID, Type.STRING, null, Importance.LOW,
            "Static access key id; unset = the SDK's default credentials chain (environment, profile, container or instance role).")
        .define(SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.LOW,
            "Secret of " + ACCESS_KEY_ID + "; never logged.");
    for (String service : services) {
      def.define(endpointOverrideKey(service), Type.STRING, null, new CommonConfig.UrlValidator(), Importance.LOW,
          "Endpoint of " + service + " alone, before " + ENDPOINT_OVERRIDE + ".");
    }
    for (String service : regionalServices) {
      def.define(regionKey(service), Type.STRING, null, Importance.LOW,
          "Region of " + service + " when it differs from " + REGION + ".");
    }
    if (services.contains("s3")) {
      def.define(S3_PATH_STYLE, Type.BOOLEAN, false, Importance.LOW,
          "Path-style S3 addressing (bucket in the path), as most S3-compatible stores need.");
    }
    return def;
  }

  /** The settings {@link #define} defined, read from {@code config}; {@code region} as the app resolved it. */
  public static AwsSettings from(AbstractConfig config, String region, Collection<String> services, Collection<String> regionalServices) {
    Map<String, URI> endpoints = new TreeMap<>();
    for (String service : services) {
      String value = config.getString(endpointOverrideKey(service));
      if (value != null) {
        endpoints.put(service, URI.create(value));
      }
    }
    Map<String, String> regions = new TreeMap<>();
    for (String service : regionalServices) {
      String value = config.getString(regionKey(service));
      if (value != null) {
        regions.put(service, value);
      }
    }
    String endpoint = config.getString(ENDPOINT_OVERRIDE);
    return new AwsSettings(region, endpoint == null ? null : URI.create(endpoint), endpoints, regions,
        config.getString(ACCESS_KEY_ID), config.getPassword(SECRET_ACCESS_KEY),
        services.contains("s3") && config.getBoolean(S3_PATH_STYLE));
  }

  /** The endpoint to call {@code service} at, or null for AWS itself. */
  public URI endpointFor(String service) {
    return serviceEndpoints.getOrDefault(service, endpointOverride);
  }

  public String regionFor(String service) {
    return serviceRegions.getOrDefault(service, region);
  }
}
