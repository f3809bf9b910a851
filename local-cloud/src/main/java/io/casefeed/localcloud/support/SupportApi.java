package io.casefeed.localcloud.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.casefeed.localcloud.Scenario;
import io.casefeed.localcloud.SimulatedAccount;
import io.casefeed.localcloud.SimulatedCase;
import io.casefeed.localcloud.SimulatedCommunication;
import io.casefeed.localcloud.Simulation;
import io.casefeed.localcloud.SupportCatalogue;
import io.casefeed.localcloud.Timestamps;
import io.casefeed.localcloud.protocol.AwsServiceException;
import io.casefeed.localcloud.identity.Caller;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** AWS Support (JSON 1.1, {@code AWSSupport_20130415}), computed from the simulation's ground truth. */
public final class SupportApi {

  public static final String TARGET_PREFIX = "AWSSupport_20130415";
  private static final int RECENT_COMMUNICATIONS = 5;
  private static final int DEFAULT_MAX_RESULTS = 100;
  /** The years a time's text has four digits in, and a text that sorts after all of them. */
  private static final Instant FIRST_FOUR_DIGIT_YEAR = Instant.parse("1000-01-01T00:00:00Z");
  private static final Instant LAST_FOUR_DIGIT_YEAR = Instant.parse("9999-12-31T23:59:59.999Z");
  private static final String AFTER_EVERY_TIME = "\uffff";

  /** CreateCase's issueType: AWS knows these two only. */
  private static final List<String> ISSUE_TYPES = List.of("customer-service", "technical");

  private final Simulation simulation;
  private final ObjectMapper json;
  private final AttachmentSets attachmentSets;

  public SupportApi(Simulation simulation, ObjectMapper json) {
    this.simulation = simulation;
    this.json = json;
    this.attachmentSets = new AttachmentSets(simulation.clock());
  }

  public ObjectNode handle(String operation, JsonNode input, Caller caller) {
    SimulatedAccount account = simulation.account(caller.accountId())
        .orElseThrow(() -> new AwsServiceException(400, "SubscriptionRequiredException",
            "AWS Premium Support Subscription is required to use this service."));
    if (!account.supportPlan()) {
      throw new AwsServiceException(400, "SubscriptionRequiredException",
          "AWS Premium Support Subscription is required to use this service.");
    }
    return switch (operation) {
      case "DescribeCases" -> describeCases(input, account.id());
      case "DescribeCommunications" -> describeCommunications(input, account.id());
      case "CreateCase" -> createCase(input, account);
      case "AddCommunicationToCase" -> addCommunication(input, account);
      case "ResolveCase" -> resolveCase(input, account.id());
      case "DescribeServices" -> describeServices(input);
      case "DescribeSeverityLevels" -> describeSeverityLevels();
      case "AddAttachmentsToSet" -> addAttachmentsToSet(input, account.id());
      case "DescribeAttachment" -> describeAttachment(input, account.id());
      default -> throw new AwsServiceException(400, "UnknownOperationException",
          "Unknown operation " + TARGET_PREFIX + "." + operation);
    };
  }

  private ObjectNode describeCases(JsonNode input, String accountId) {
    int maxResults = maxResults(input);
    boolean includeResolved = input.path("includeResolvedCases").asBoolean(false);
    boolean includeCommunications = input.path("includeCommunications").asBoolean(true);
    String language = language(input);
    String displayId = text(input, "displayId");
    Instant after = time(input, "afterTime");
    Instant before = time(input, "beforeTime");
    Set<String> caseIds = new TreeSet<>();
    JsonNode idList = input.path("caseIdList");
    if (!idList.isMissingNode() && !idList.isNull()) {
      if (!idList.isArray()) {
        throw AwsServiceException.validation("caseIdList must be a list");
      }
      if (idList.size() > 100) {
        throw AwsServiceException.validation(
            "1 validation error detected: Value at 'caseIdList' failed to satisfy constraint: Member must have length less than or equal to 100");
      }
      idList.forEach(id -> caseIds.add(id.asText()));
    }
    List<SimulatedCase> all = simulation.cases(accountId);
    if (!caseIds.isEmpty()) {
      Set<String> known = new HashSet<>();
      all.forEach(c -> known.add(c.caseId()));
      for (String id : caseIds) {
        if (!known.contains(id)) {
          throw new AwsServiceException(400, "CaseIdNotFound", "Invalid case ID: " + id);
        }
      }
    }
    String digest = PageToken.digest(String.join("|", accountId, String.valueOf(caseIds), String.valueOf(displayId),
        String.valueOf(after), String.valueOf(before), String.valueOf(includeResolved), language));
    String nextToken = text(input, "nextToken");
    String startAfter = nextToken == null ? null : PageToken.positionOf(nextToken, digest);

    String afterKey = boundKey(after);
    String beforeKey = boundKey(before);
    ArrayNode page = json.createArrayNode();
    SimulatedCase last = null;
    boolean more = false;
    for (SimulatedCase c : all) {
      if (startAfter != null && position(c).compareTo(startAfter) >= 0) {
        continue;
      }
      if (!matches(c, caseIds, displayId, afterKey, beforeKey, includeResolved, language)) {
        continue;
      }
      if (page.size() == maxResults) {
        more = true;
        break;
      }
      page.add(caseDetails(c, includeCommunications));
      last = c;
    }
    ObjectNode reply = json.createObjectNode();
    reply.set("cases", page);
    if (more) {
      reply.put("nextToken", new PageToken(digest, position(last)).encode());
    }
    return reply;
  }

  /** Where a case stands in the newest-first order a nextToken resumes from. */
  private static String position(SimulatedCase c) {
    return c.timeCreated() + " " + c.caseId();
  }

  private static boolean matches(SimulatedCase c, Set<String> caseIds, String displayId, String afterKey, String beforeKey,
      boolean includeResolved, String language) {
    if (!caseIds.isEmpty() && !caseIds.contains(c.caseId())) {
      return false;
    }
    if (displayId != null && !displayId.equals(c.displayId())) {
      return false;
    }
    if (!includeResolved && c.resolved()) {
      return false;
    }
    if (!language.equals(c.language())) {
      return false;
    }
    // timeCreated is fixed-width ISO-8601 with milliseconds (SimulatedCase), so the strings compare as the instants.
    return (afterKey == null || c.timeCreated().compareTo(afterKey) >= 0)
        && (beforeKey == null || c.timeCreated().compareTo(beforeKey) < 0);
  }

  /**
   * A time bound as a case's {@code timeCreated} text, rounded up to the millisecond: a time with
   * milliseconds is at or after the bound exactly when its text sorts at or after this one. Saves
   * parsing every case's time on every DescribeCases call.
   */
  static String boundKey(Instant bound) {
    if (bound == null) {
      return null;
    }
    Instant millis = bound.truncatedTo(ChronoUnit.MILLIS);
    Instant up = millis.equals(bound) ? millis : millis.plusMillis(1);
    if (up.isBefore(FIRST_FOUR_DIGIT_YEAR)) {
      return Timestamps.format(FIRST_FOUR_DIGIT_YEAR);
    }
    // Past year 9999 the text grows a sign and would sort wrongly: such a bound is after every case's time.
    return up.isAfter(LAST_FOUR_DIGIT_YEAR) ? AFTER_EVERY_TIME : Timestamps.format(up);
  }

  private ObjectNode caseDetails(SimulatedCase c, boolean includeCommunications) {
    ObjectNode details = json.createObjectNode();
    details.put("caseId", c.caseId());
    details.put("displayId", c.displayId());
    details.put("subject", c.subject());
    details.put("status", c.status());
    details.put("serviceCode", c.serviceCode());
    details.put("categoryCode", c.categoryCode());
    details.put("severityCode", c.severityCode());
    details.put("submittedBy", c.submittedBy());
    details.put("timeCreated", c.timeCreated());
    if (includeCommunications) {
      ObjectNode recent = details.putObject("recentCommunications");
      ArrayNode communications = recent.putArray("communications");
      List<SimulatedCommunication> newestFirst = c.communications();
      for (int i = 0; i < Math.min(RECENT_COMMUNICATIONS, newestFirst.size()); i++) {
        communications.add(communication(c.caseId(), newestFirst.get(i)));
      }
      if (newestFirst.size() > RECENT_COMMUNICATIONS) {
        recent.put("nextToken", new PageToken(communicationsDigest(c.caseId(), null, null),
            Integer.toString(newestFirst.size() - RECENT_COMMUNICATIONS)).encode());
      }
    }
    ArrayNode cc = details.putArray("ccEmailAddresses");
    c.ccEmailAddresses().forEach(cc::add);
    details.put("language", c.language());
    return details;
  }

  private ObjectNode communication(String caseId, SimulatedCommunication message) {
    ObjectNode node = json.createObjectNode();
    node.put("caseId", caseId);
    node.put("body", message.body());
    node.put("submittedBy", message.submittedBy());
    node.put("timeCreated", message.timeCreated());
    node.putArray("attachmentSet");
    return node;
  }

  private static String communicationsDigest(String caseId, Instant after, Instant before) {
    return PageToken.digest(String.join("|", "communications", caseId, String.valueOf(after), String.valueOf(before)));
  }

  /**
   * Communications newest first. Messages are only ever added, so a position counted from the
   * oldest message stays valid while new ones arrive.
   */
  private ObjectNode describeCommunications(JsonNode input, String accountId) {
    String caseId = required(input, "caseId");
    SimulatedCase c = ownCase(caseId, accountId);
    int maxResults = maxResults(input);
    Instant after = time(input, "afterTime");
    Instant before = time(input, "beforeTime");
    String digest = communicationsDigest(caseId, after, before);
    String nextToken = text(input, "nextToken");
    List<SimulatedCommunication> newestFirst = c.communications();
    int olderThan = newestFirst.size();
    if (nextToken != null) {
      try {
        olderThan = Integer.parseInt(PageToken.positionOf(nextToken, digest));
      } catch (NumberFormatException e) {
        throw AwsServiceException.validation("Invalid pagination token");
      }
    }
    ArrayNode page = json.createArrayNode();
    boolean more = false;
    int lastIndexFromOldest = olderThan;
    for (int i = newestFirst.size() - olderThan; i < newestFirst.size(); i++) {
      SimulatedCommunication message = newestFirst.get(i);
      Instant created = Instant.parse(message.timeCreated());
      if (after != null && created.isBefore(after) || before != null && !created.isBefore(before)) {
        lastIndexFromOldest = newestFirst.size() - i - 1;
        continue;
      }
      if (page.size() == maxResults) {
        more = true;
        break;
      }
      page.add(communication(caseId, message));
      lastIndexFromOldest = newestFirst.size() - i - 1;
    }
    ObjectNode reply = json.createObjectNode();
    reply.set("communications", page);
    if (more) {
      reply.put("nextToken", new PageToken(digest, Integer.toString(lastIndexFromOldest)).encode());
    }
    return reply;
  }

  private ObjectNode createCase(JsonNode input, SimulatedAccount account) {
    String subject = required(input, "subject");
    String body = required(input, "communicationBody");
    String serviceCode = text(input, "serviceCode");
    if (serviceCode != null && !SupportCatalogue.isService(serviceCode)) {
      throw new AwsServiceException(400, "InvalidParameterValueException", "Invalid service code: " + serviceCode);
    }
    String severity = text(input, "severityCode");
    if (severity != null && !SupportCatalogue.isSeverity(severity)) {
      throw new AwsServiceException(400, "InvalidParameterValueException", "Invalid severity code: " + severity);
    }
    String language = text(input, "language");
    if (language != null && !Scenario.SUPPORTED_LANGUAGES.contains(language)) {
      throw AwsServiceException.validation("Invalid language: " + language);
    }
    String issueType = text(input, "issueType");
    if (issueType != null && !ISSUE_TYPES.contains(issueType)) {
      throw new AwsServiceException(400, "InvalidParameterValueException",
          "Invalid issue type: " + issueType + ". Valid values are " + String.join(", ", ISSUE_TYPES) + ".");
    }
    String attachmentSetId = text(input, "attachmentSetId");
    if (attachmentSetId != null) {
      attachmentSets.requireUsable(account.id(), attachmentSetId);
    }
    List<String> cc = new ArrayList<>();
    input.path("ccEmailAddresses").forEach(address -> cc.add(address.asText()));
    SimulatedCase created = simulation.createCase(account.id(), subject, serviceCode, text(input, "categoryCode"),
        severity, language, body, cc, simulation.customerAddress(account.id()));
    ObjectNode reply = json.createObjectNode();
    reply.put("caseId", created.caseId());
    return reply;
  }

  private ObjectNode addCommunication(JsonNode input, SimulatedAccount account) {
    String caseId = required(input, "caseId");
    String body = required(input, "communicationBody");
    SimulatedCase c = ownCase(caseId, account.id());
    String attachmentSetId = text(input, "attachmentSetId");
    if (attachmentSetId != null) {
      attachmentSets.requireUsable(account.id(), attachmentSetId);
    }
    simulation.addCommunication(c.caseId(), false, body, c.submittedBy());
    if (c.resolved()) {
      // A customer's reply to a resolved case reopens it, as AWS Support does.
      simulation.reopen(c.caseId());
    }
    ObjectNode reply = json.createObjectNode();
    reply.put("result", true);
    return reply;
  }

  private ObjectNode resolveCase(JsonNode input, String accountId) {
    String caseId = required(input, "caseId");
    SimulatedCase c = ownCase(caseId, accountId);
    simulation.resolve(caseId);
    ObjectNode reply = json.createObjectNode();
    reply.put("initialCaseStatus", c.status());
    reply.put("finalCaseStatus", SimulatedCase.RESOLVED);
    return reply;
  }

  private ObjectNode addAttachmentsToSet(JsonNode input, String accountId) {
    JsonNode given = input.path("attachments");
    if (!given.isArray() || given.isEmpty()) {
      throw AwsServiceException.validation("1 validation error detected: Value null at 'attachments' failed to satisfy constraint: Member must not be null");
    }
    List<AttachmentSets.Attachment> added = new ArrayList<>();
    for (JsonNode attachment : given) {
      byte[] data;
      try {
        data = attachment.path("data").isMissingNode() ? new byte[0] : Base64.getDecoder().decode(attachment.path("data").asText());
      } catch (IllegalArgumentException e) {
        throw new AwsServiceException(400, "SerializationException", "attachments.data is not base64");
      }
      added.add(new AttachmentSets.Attachment(AttachmentSets.newAttachmentId(), text(attachment, "fileName"), data));
    }
    Map.Entry<String, Instant> set = attachmentSets.add(accountId, text(input, "attachmentSetId"), added);
    ObjectNode reply = json.createObjectNode();
    reply.put("attachmentSetId", set.getKey());
    reply.put("expiryTime", Timestamps.format(set.getValue()));
    return reply;
  }

  private ObjectNode describeAttachment(JsonNode input, String accountId) {
    AttachmentSets.Attachment attachment = attachmentSets.attachment(accountId, required(input, "attachmentId"));
    ObjectNode reply = json.createObjectNode();
    ObjectNode node = reply.putObject("attachment");
    if (attachment.fileName() != null) {
      node.put("fileName", attachment.fileName());
    }
    node.put("data", Base64.getEncoder().encodeToString(attachment.data()));
    return reply;
  }

  private ObjectNode describeServices(JsonNode input) {
    String language = language(input);
    Set<String> wanted = new HashSet<>();
    input.path("serviceCodeList").forEach(code -> wanted.add(code.asText()));
    ObjectNode reply = json.createObjectNode();
    ArrayNode services = reply.putArray("services");
    for (SupportCatalogue.Service service : SupportCatalogue.SERVICES) {
      if (!wanted.isEmpty() && !wanted.contains(service.code())) {
        continue;
      }
      ObjectNode node = services.addObject();
      node.put("code", service.code());
      node.put("name", SupportCatalogue.serviceName(service, language));
      ArrayNode categories = node.putArray("categories");
      service.categories().forEach(category -> categories.addObject().put("code", category.code()).put("name", category.name()));
    }
    return reply;
  }

  private ObjectNode describeSeverityLevels() {
    ObjectNode reply = json.createObjectNode();
    ArrayNode levels = reply.putArray("severityLevels");
    SupportCatalogue.SEVERITY_LEVELS.forEach(level -> levels.addObject().put("code", level.code()).put("name", level.name()));
    return reply;
  }

  private SimulatedCase ownCase(String caseId, String accountId) {
    return simulation.findCase(caseId).filter(c -> simulation.accountOf(caseId).orElse("").equals(accountId))
        .orElseThrow(() -> new AwsServiceException(400, "CaseIdNotFound", "Invalid case ID: " + caseId));
  }

  private static int maxResults(JsonNode input) {
    JsonNode value = input.path("maxResults");
    if (value.isMissingNode() || value.isNull()) {
      return DEFAULT_MAX_RESULTS;
    }
    int max = value.asInt(-1);
    if (!value.canConvertToInt() || max < 10 || max > 100) {
      throw AwsServiceException.validation("1 validation error detected: Value '" + value.asText()
          + "' at 'maxResults' failed to satisfy constraint: Member must have value between 10 and 100");
    }
    return max;
  }

  private static String language(JsonNode input) {
    String language = text(input, "language");
    if (language == null) {
      return "en";
    }
    if (!Scenario.SUPPORTED_LANGUAGES.contains(language)) {
      throw AwsServiceException.validation("Invalid language: " + language + ", expected one of " + Scenario.SUPPORTED_LANGUAGES);
    }
    return language;
  }

  private static Instant time(JsonNode input, String field) {
    String value = text(input, field);
    if (value == null) {
      return null;
    }
    try {
      return Timestamps.parseLenient(value);
    } catch (IllegalArgumentException e) {
      throw AwsServiceException.validation("Invalid " + field + ": " + value + " is not an ISO-8601 time");
    }
  }

  private static String text(JsonNode input, String field) {
    JsonNode value = input.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  private static String required(JsonNode input, String field) {
    String value = text(input, field);
    if (value == null || value.isEmpty()) {
      throw AwsServiceException.validation("1 validation error detected: Value null at '" + field
          + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }
}
