package io.casefeed.localcloud.support;

import io.casefeed.localcloud.protocol.AwsServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Support's attachment sets, in memory: at most 3 attachments of at most 5 MB each per set, a set
 * usable for one hour after it was created, each attachment readable by its id from the account that
 * added it. An id local-cloud never issued, or issued to another account, is not found, as in AWS.
 */
final class AttachmentSets {

  static final int MAX_ATTACHMENTS = 3;
  static final int MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
  static final Duration LIFETIME = Duration.ofHours(1);

  record Attachment(String id, String fileName, byte[] data) {
  }

  private record AttachmentSet(String accountId, Instant expiry, List<Attachment> attachments) {
  }

  private final Map<String, AttachmentSet> sets = new ConcurrentHashMap<>();
  private final Map<String, Map.Entry<String, Attachment>> attachments = new ConcurrentHashMap<>();
  private final Clock clock;

  AttachmentSets(Clock clock) {
    this.clock = clock;
  }

  /** Adds to the set {@code setId} (a new one when null); returns the set id and its expiry. */
  synchronized Map.Entry<String, Instant> add(String accountId, String setId, List<Attachment> added) {
    AttachmentSet set;
    if (setId == null) {
      setId = "as-" + UUID.randomUUID();
      set = new AttachmentSet(accountId, clock.instant().plus(LIFETIME), new ArrayList<>());
    } else {
      set = usable(accountId, setId);
    }
    if (set.attachments().size() + added.size() > MAX_ATTACHMENTS) {
      throw new AwsServiceException(400, "AttachmentLimitExceeded",
          "The limit for the number of attachment sets or attachments in a set has been exceeded (" + MAX_ATTACHMENTS + ").");
    }
    for (Attachment attachment : added) {
      if (attachment.data().length > MAX_ATTACHMENT_BYTES) {
        throw new AwsServiceException(400, "AttachmentSetSizeLimitExceeded",
            "A limit for the size of an attachment set has been exceeded: " + attachment.fileName() + " is over 5 MB.");
      }
    }
    for (Attachment attachment : added) {
      set.attachments().add(attachment);
      attachments.put(attachment.id(), Map.entry(accountId, attachment));
    }
    sets.put(setId, set);
    return Map.entry(setId, set.expiry());
  }

  /** Throws as AWS does when {@code setId} cannot be used by {@code accountId} now. */
  synchronized void requireUsable(String accountId, String setId) {
    usable(accountId, setId);
  }

  Attachment attachment(String accountId, String attachmentId) {
    Map.Entry<String, Attachment> found = attachments.get(attachmentId);
    if (found == null || !found.getKey().equals(accountId)) {
      throw new AwsServiceException(400, "AttachmentIdNotFound", "An attachment with the specified ID could not be found: " + attachmentId);
    }
    return found.getValue();
  }

  static String newAttachmentId() {
    return "attachment-" + UUID.randomUUID();
  }

  private AttachmentSet usable(String accountId, String setId) {
    AttachmentSet set = sets.get(setId);
    if (set == null || !set.accountId().equals(accountId)) {
      throw new AwsServiceException(400, "AttachmentSetIdNotFound", "An attachment set with the specified ID could not be found: " + setId);
    }
    if (!clock.instant().isBefore(set.expiry())) {
      throw new AwsServiceException(400, "AttachmentSetExpired", "The expiration time of the attachment set has passed: " + setId);
    }
    return set;
  }
}
