package io.casefeed.collector.aws;

/** Exchanges the collector's own credentials for a member account role's. */
@FunctionalInterface
public interface RoleAssumer {

  RoleCredentials assume(String roleArn);
}
