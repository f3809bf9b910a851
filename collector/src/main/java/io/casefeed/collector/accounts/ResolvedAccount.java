package io.casefeed.collector.accounts;

import java.util.List;

/**
 * A member account one or more sources named.
 *
 * @param status Organizations status, or null where the source does not say
 * @param sources where it was found: static, s3-file, organizations:&lt;management account id&gt;
 */
public record ResolvedAccount(String accountId, String name, String status, List<String> sources) {

  public ResolvedAccount {
    sources = List.copyOf(sources);
  }
}
