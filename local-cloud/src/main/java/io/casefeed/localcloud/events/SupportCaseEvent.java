package io.casefeed.localcloud.events;

import java.time.Instant;

/**
 * One {@code Support Case Update} event local-cloud's EventBridge announced: the ground truth a test
 * compares the feed with, whether or not the event was then lost.
 *
 * @param communicationId null for events that carry none
 * @param origin AWS or CUSTOMER for communications, else null
 * @param copiesSent 0 when lost, 2 when duplicated
 */
public record SupportCaseEvent(String eventId, String accountId, String caseId, String displayId, String communicationId,
    String eventName, String origin, Instant time, int copiesSent) {
}
