package io.casefeed.collector.aws;

import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsRequest;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsResponse;

/**
 * The AWS calls one account's poll makes, signed as that account's role. Exceptions are the SDK's
 * ({@code AwsServiceException} with its error code, {@code SdkClientException}).
 */
public interface SupportGateway {

  /** Makes sure the account's role credentials are at hand; calls AssumeRole when they are not. */
  void ensureCredentials(String accountId);

  /** Whether {@link #ensureCredentials(String)} would call AssumeRole now. */
  boolean needsCredentials(String accountId);

  DescribeCasesResponse describeCases(String accountId, DescribeCasesRequest request);

  DescribeCommunicationsResponse describeCommunications(String accountId, DescribeCommunicationsRequest request);
}
