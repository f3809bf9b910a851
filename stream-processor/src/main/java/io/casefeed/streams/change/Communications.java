package io.casefeed.streams.change;

import io.casefeed.schema.Communication;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Which communications of an observation are new, and who wrote them. */
public final class Communications {

  /** How AWS Support signs its own communications. */
  public static final String AWS_SUBMITTER = "Amazon Web Services";
  public static final String AUTHOR_AWS = "AWS";
  public static final String AUTHOR_CUSTOMER = "CUSTOMER";

  private Communications() {}

  public static boolean writtenByAws(Communication communication) {
    return AWS_SUBMITTER.equalsIgnoreCase(communication.getSubmittedBy().trim());
  }

  public static String author(Communication communication) {
    return writtenByAws(communication) ? AUTHOR_AWS : AUTHOR_CUSTOMER;
  }

  /**
   * Identifies a communication across polls: AWS gives communications no id, and the same text can
   * be sent twice, so the time, the author and the body together.
   */
  public static String fingerprint(Communication communication) {
    return communication.getTimeCreated() + "|" + communication.getSubmittedBy() + "|" + sha256(communication.getBody());
  }

  /**
   * The communications in {@code current} that {@code previous} did not have, oldest first. AWS
   * returns only the most recent few, so one that is older than everything seen before has
   * scrolled out of the previous window rather than being new.
   */
  public static List<Communication> added(List<Communication> previous, List<Communication> current) {
    Set<String> seen = new HashSet<>();
    String newestSeen = null;
    for (Communication communication : previous) {
      seen.add(fingerprint(communication));
      String time = communication.getTimeCreated();
      if (newestSeen == null || time.compareTo(newestSeen) > 0) {
        newestSeen = time;
      }
    }
    List<Communication> added = new ArrayList<>();
    for (Communication communication : current) {
      boolean olderThanSeen = newestSeen != null && communication.getTimeCreated().compareTo(newestSeen) < 0;
      if (!seen.contains(fingerprint(communication)) && !olderThanSeen) {
        added.add(communication);
      }
    }
    added.sort(Comparator.comparing(Communication::getTimeCreated));
    return added;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
