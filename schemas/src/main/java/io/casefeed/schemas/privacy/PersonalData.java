package io.casefeed.schemas.privacy;

import io.casefeed.common.config.CommonConfig;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.Communication;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * What happens to personal data — case subjects, communication bodies, e-mail addresses — where it
 * leaves Kafka (the sink's objects, the notifier's mails, the query API and dashboard). Each kind is
 * kept, hashed (a stable SHA-256 prefix, so equal values still match and can be counted) or
 * redacted. Kafka itself keeps the data as AWS gave it: erase there by compaction (see docs/data.md).
 */
public record PersonalData(Treatment subjects, Treatment bodies, Treatment emails) {

  /** How one kind of personal data leaves Kafka. */
  public enum Treatment {
    KEEP, HASH, REDACT;

    public static Treatment parse(String value) {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
  }

  public static final String REDACTED = "[redacted]";
  /** AWS's own name in submittedBy is not personal data. */
  static final String AWS = "Amazon Web Services";

  public static final PersonalData KEEP_ALL = new PersonalData(Treatment.KEEP, Treatment.KEEP, Treatment.KEEP);

  public static PersonalData fromConfig(CommonConfig config) {
    return new PersonalData(Treatment.parse(config.getString(CommonConfig.PRIVACY_SUBJECTS)),
        Treatment.parse(config.getString(CommonConfig.PRIVACY_BODIES)),
        Treatment.parse(config.getString(CommonConfig.PRIVACY_EMAILS)));
  }

  public boolean keepsEverything() {
    return subjects == Treatment.KEEP && bodies == Treatment.KEEP && emails == Treatment.KEEP;
  }

  public CaseDetails apply(CaseDetails details) {
    if (details == null || keepsEverything()) {
      return details;
    }
    return CaseDetails.newBuilder(details)
        .setSubject(treat(subjects, details.getSubject()))
        .setSubmittedBy(email(details.getSubmittedBy()))
        .setCcEmailAddresses(details.getCcEmailAddresses().stream().map(this::email).toList())
        .setRecentCommunications(details.getRecentCommunications().stream().map(this::apply).toList())
        .build();
  }

  public Communication apply(Communication communication) {
    return Communication.newBuilder(communication)
        .setBody(treat(bodies, communication.getBody()))
        .setSubmittedBy(email(communication.getSubmittedBy()))
        .build();
  }

  public CaseState apply(CaseState state) {
    if (state == null || keepsEverything()) {
      return state;
    }
    return CaseState.newBuilder(state).setCaseDetails(apply(state.getCaseDetails())).build();
  }

  public CaseChange apply(CaseChange change) {
    if (change == null || keepsEverything()) {
      return change;
    }
    return CaseChange.newBuilder(change).setPrevious(apply(change.getPrevious())).setCurrent(apply(change.getCurrent())).build();
  }

  public List<CaseState> applyAll(List<CaseState> states) {
    return keepsEverything() ? states : states.stream().map(this::apply).toList();
  }

  /** An e-mail address as it may leave Kafka (a mail's recipient on the dashboard, say). */
  public String emailAddress(String value) {
    return email(value);
  }

  private String email(String value) {
    return value == null || AWS.equals(value) ? value : treat(emails, value);
  }

  static String treat(Treatment treatment, String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    return switch (treatment) {
      case KEEP -> value;
      case REDACT -> REDACTED;
      case HASH -> hash(value);
    };
  }

  /** The value as {@code hash} writes it; tests and erase tooling compare against it. */
  public static String hash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
