package io.casefeed.localcloud.sts;

import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.identity.Caller;
import io.casefeed.localcloud.identity.CredentialStore;
import io.casefeed.localcloud.identity.IssuedCredentials;
import io.casefeed.localcloud.protocol.QueryXml;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS STS (Query protocol, {@code Version=2011-06-15}): AssumeRole and GetCallerIdentity. As STS does,
 * AssumeRole refuses a root caller, an ExternalId off IAM's length and pattern, and a DurationSeconds
 * above the role's MaxSessionDuration ({@link #ROLE_MAX_SESSION_SECONDS}).
 */
public final class StsApi {

  public static final String VERSION = "2011-06-15";
  public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
  /** Every simulated role keeps IAM's default MaxSessionDuration: one hour. */
  public static final int ROLE_MAX_SESSION_SECONDS = 3600;

  private final Simulation simulation;
  private final CredentialStore credentials;

  public StsApi(Simulation simulation, CredentialStore credentials) {
    this.simulation = simulation;
    this.credentials = credentials;
  }

  /** The XML reply of {@code action}. */
  public String handle(String action, Map<String, String> params, Caller caller, String requestId) {
    return switch (action) {
      case "AssumeRole" -> assumeRole(params, caller, requestId);
      case "GetCallerIdentity" -> QueryXml.response(action, NAMESPACE)
          .element("Arn", caller.arn()).element("UserId", caller.userId()).element("Account", caller.accountId())
          .finish(action, requestId);
      default -> throw new AwsServiceException(400, "InvalidAction", "Could not find operation " + action + " for version " + VERSION);
    };
  }

  private String assumeRole(Map<String, String> params, Caller caller, String requestId) {
    String roleArn = params.get("RoleArn");
    String sessionName = params.get("RoleSessionName");
    if (roleArn == null || sessionName == null) {
      throw new AwsServiceException(400, "ValidationError",
          "1 validation error detected: Value null at '" + (roleArn == null ? "roleArn" : "roleSessionName")
              + "' failed to satisfy constraint: Member must not be null");
    }
    if (!SESSION_NAME.matcher(sessionName).matches()) {
      throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value '" + sessionName
          + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
    String externalId = params.get("ExternalId");
    if (externalId != null) {
      if (externalId.length() < 2 || externalId.length() > 1224) {
        throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value '" + externalId
            + "' at 'externalId' failed to satisfy constraint: Member must have length "
            + (externalId.length() < 2 ? "greater than or equal to 2" : "less than or equal to 1224"));
      }
      if (!EXTERNAL_ID.matcher(externalId).matches()) {
        throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value '" + externalId
            + "' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
      }
    }
    Matcher arn = ROLE_ARN.matcher(roleArn);
    if (!arn.matches()) {
      throw new AwsServiceException(400, "ValidationError", roleArn + " is invalid");
    }
    int durationSeconds = 3600;
    if (params.containsKey("DurationSeconds")) {
      try {
        durationSeconds = Integer.parseInt(params.get("DurationSeconds"));
      } catch (NumberFormatException e) {
        durationSeconds = -1;
      }
      if (durationSeconds < 900 || durationSeconds > 43200) {
        throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value '"
            + params.get("DurationSeconds") + "' at 'durationSeconds' failed to satisfy constraint: "
            + "Member must have value between 900 and 43200");
      }
    }
    if (caller.arn().endsWith(":root")) {
      throw new AwsServiceException(403, "AccessDenied", "Roles may not be assumed by root accounts.");
    }
    String accountId = arn.group(1);
    String roleName = arn.group(2);
    SimulatedAccount account = simulation.account(accountId).orElse(null);
    String requiredExternalId = simulation.scenario().externalId();
    boolean allowed = account != null && account.hasRole() && account.active()
        && roleName.equals(simulation.scenario().roleName())
        && !simulation.faults().roleRevoked(accountId)
        && caller.accountId().equals(simulation.managementAccountId())
        && (requiredExternalId == null || requiredExternalId.equals(params.get("ExternalId")));
    if (!allowed) {
      throw new AwsServiceException(403, "AccessDenied", "User: " + caller.arn()
          + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
    }
    if (durationSeconds > ROLE_MAX_SESSION_SECONDS) {
      throw new AwsServiceException(400, "ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    String roleId = "AROA" + Integer.toHexString(roleArn.hashCode()).toUpperCase(Locale.ROOT) + "EXAMPLE";
    String assumedArn = "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName;
    IssuedCredentials issued = credentials.issue(accountId, roleId + ":" + sessionName, assumedArn,
        Duration.ofSeconds(durationSeconds));
    return QueryXml.response("AssumeRole", NAMESPACE)
        .open("AssumedRoleUser").element("AssumedRoleId", issued.userId()).element("Arn", assumedArn).close("AssumedRoleUser")
        .open("Credentials")
        .element("AccessKeyId", issued.accessKeyId())
        .element("SecretAccessKey", issued.secretAccessKey())
        .element("SessionToken", issued.sessionToken())
        .element("Expiration", DateTimeFormatter.ISO_INSTANT.format(issued.expiration().truncatedTo(ChronoUnit.SECONDS)))
        .close("Credentials")
        .element("PackedPolicySize", "0")
        .finish("AssumeRole", requestId);
  }
}
