package io.casefeed.localcloud.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes a {@code Support Case Update} event in EventBridge's exact envelope, field for field as AWS
 * delivers it to an SQS target. It lives in the stand-in, not in casefeed's contracts: it is AWS's format,
 * and casefeed's parser is tested against it and against AWS's documented example.
 */
public final class SupportEventEnvelope {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SupportEventEnvelope() {}

  /**
   * @param communicationId null for events without one: Support then writes an empty string
   * @param origin AWS or CUSTOMER, or null (written as an empty string, as Support does)
   */
  public static String json(
      String id, String account, Instant time, String region,
      String caseId, String displayId, String communicationId, String eventName, String origin) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "0");
    root.put("id", id);
    root.put("detail-type", "Support Case Update");
    root.put("source", "aws.support");
    root.put("account", account);
    // EventBridge writes whole seconds.
    root.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("region", region);
    root.putArray("resources");
    ObjectNode detail = root.putObject("detail");
    detail.put("case-id", caseId);
    detail.put("display-id", displayId == null ? "" : displayId);
    detail.put("communication-id", communicationId == null ? "" : communicationId);
    detail.put("event-name", eventName);
    detail.put("origin", origin == null ? "" : origin);
    return root.toString();
  }
}
