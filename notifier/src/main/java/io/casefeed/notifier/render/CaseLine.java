package io.casefeed.notifier.render;

import io.casefeed.notifier.view.CaseSummary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

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

  /** A case as one line, with its console link built from the display id. */
  public static CaseLine of(CaseSummary d, String accountName, String consoleCaseUrl, String note) {
    String displayId = d.displayId();
    String link = displayId == null ? null : consoleCaseUrl.replace("{displayId}", URLEncoder.encode(displayId, StandardCharsets.UTF_8));
    return new CaseLine(d.accountId(), accountName, displayId, d.subject(), d.status(), d.severity(), d.service(),
        d.timeCreated(), link, note);
  }

  /** "name (id)" or the id alone. */
  public String accountLabel() {
    return accountName == null ? accountId : accountName + " (" + accountId + ")";
  }
}
