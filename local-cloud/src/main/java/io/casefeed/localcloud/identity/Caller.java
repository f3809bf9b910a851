package io.casefeed.localcloud.identity;

/**
 * Who signed a request: the account whose data it sees, and the identity STS GetCallerIdentity reports.
 */
public record Caller(String accountId, String accessKeyId, String userId, String arn) {
}
