package io.casefeed.notifier.digest;

/** One case as a digest or an alert lists it. */
public record CaseLine(
    String accountId,
    String accountName,
    String displayId,
    String subject,
    String status,
    String severity,
    String service,
    String createdTime,
    String consoleLink,
    String note) {

  /** "name (id)" or the id alone. */
  public String accountLabel() {
    return accountName == null ? accountId : accountName + " (" + accountId + ")";
  }
}
