package io.casefeed.localcloud.organizations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.identity.Caller;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** AWS Organizations (JSON 1.1, {@code AWSOrganizationsV20161128}): ListAccounts, paginated. */
public final class OrganizationsApi {

  public static final String TARGET_PREFIX = "AWSOrganizationsV20161128";
  private static final int DEFAULT_MAX_RESULTS = 20;

  private final Simulation simulation;
  private final ObjectMapper json;
  private final Instant organisationCreated;

  public OrganizationsApi(Simulation simulation, ObjectMapper json, Instant organisationCreated) {
    this.simulation = simulation;
    this.json = json;
    this.organisationCreated = organisationCreated;
  }

  public ObjectNode handle(String operation, JsonNode input, Caller caller) {
    if ("DescribeOrganization".equals(operation)) {
      return describeOrganization(caller);
    }
    if (!caller.accountId().equals(simulation.managementAccountId())) {
      throw new AwsServiceException(400, "AccessDeniedException", "You don't have permissions to access this resource.");
    }
    if (!"ListAccounts".equals(operation)) {
      throw new AwsServiceException(400, "UnknownOperationException", "Unknown operation " + TARGET_PREFIX + "." + operation);
    }
    int maxResults = DEFAULT_MAX_RESULTS;
    JsonNode max = input.path("MaxResults");
    if (!max.isMissingNode() && !max.isNull()) {
      maxResults = max.asInt(-1);
      if (maxResults < 1 || maxResults > 20) {
        throw new AwsServiceException(400, "InvalidInputException",
            "You provided a value that does not match the required pattern. MaxResults must be between 1 and 20.",
            Map.of("Reason", maxResults < 1 ? "MIN_VALUE_EXCEEDED" : "MAX_VALUE_EXCEEDED"));
      }
    }
    int start = 0;
    JsonNode token = input.path("NextToken");
    if (!token.isMissingNode() && !token.isNull()) {
      try {
        start = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token.asText()), StandardCharsets.UTF_8).substring(3));
      } catch (RuntimeException e) {
        throw new AwsServiceException(400, "InvalidInputException", "The NextToken is invalid.",
            Map.of("Reason", "INVALID_NEXT_TOKEN"));
      }
    }
    List<SimulatedAccount> accounts = simulation.accounts();
    String organisationId = organisationId();
    ObjectNode reply = json.createObjectNode();
    ArrayNode page = reply.putArray("Accounts");
    int end = Math.min(accounts.size(), start + maxResults);
    for (int i = start; i < end; i++) {
      SimulatedAccount account = accounts.get(i);
      ObjectNode node = page.addObject();
      node.put("Id", account.id());
      node.put("Arn", "arn:aws:organizations::" + simulation.managementAccountId() + ":account/" + organisationId + "/" + account.id());
      node.put("Email", "aws+" + account.name() + "@example.com");
      node.put("Name", account.name());
      node.put("Status", account.status());
      node.put("JoinedMethod", i == 0 ? "INVITED" : "CREATED");
      node.put("JoinedTimestamp", organisationCreated.plusSeconds(3600L * i).getEpochSecond());
    }
    if (end < accounts.size()) {
      reply.put("NextToken", Base64.getUrlEncoder().withoutPadding().encodeToString(("ix:" + end).getBytes(StandardCharsets.UTF_8)));
    }
    return reply;
  }

  private String organisationId() {
    return "o-" + simulation.managementAccountId().substring(2, 12).toLowerCase(Locale.ROOT);
  }

  /** Served to the management account and to every member, as AWS serves it; the other accounts' details stay hidden. */
  private ObjectNode describeOrganization(Caller caller) {
    if (simulation.account(caller.accountId()).isEmpty()) {
      throw new AwsServiceException(400, "AWSOrganizationsNotInUseException",
          "Your account is not a member of an organization.");
    }
    String managementId = simulation.managementAccountId();
    String organisationId = organisationId();
    SimulatedAccount management = simulation.accounts().get(0);
    ObjectNode reply = json.createObjectNode();
    ObjectNode organisation = reply.putObject("Organization");
    organisation.put("Id", organisationId);
    organisation.put("Arn", "arn:aws:organizations::" + managementId + ":organization/" + organisationId);
    organisation.put("FeatureSet", "ALL");
    organisation.put("MasterAccountArn", "arn:aws:organizations::" + managementId + ":account/" + organisationId + "/" + managementId);
    organisation.put("MasterAccountId", managementId);
    organisation.put("MasterAccountEmail", "aws+" + management.name() + "@example.com");
    // Deprecated by AWS, which now returns it empty.
    organisation.putArray("AvailablePolicyTypes");
    return reply;
  }
}
