package io.casefeed.collector.poll;

import io.casefeed.collector.aws.SupportGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.support.model.CaseDetails;
import software.amazon.awssdk.services.support.model.Communication;
import software.amazon.awssdk.services.support.model.DescribeCasesRequest;
import software.amazon.awssdk.services.support.model.DescribeCasesResponse;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsRequest;
import software.amazon.awssdk.services.support.model.DescribeCommunicationsResponse;
import software.amazon.awssdk.services.support.model.RecentCaseCommunications;
import software.amazon.awssdk.services.support.model.SupportException;

/**
 * An in-memory Support API for unit tests, strict like AWS: a nextToken is only valid with the same
 * filters it was issued for, and only the cases of the language asked are returned.
 */
class FakeSupport implements SupportGateway {

  record StoredCase(String accountId, String caseId, String language, String status, String timeCreated,
      List<Communication> communications) {}

  final Map<String, StoredCase> cases = new ConcurrentHashMap<>();
  final List<DescribeCasesRequest> caseRequests = new CopyOnWriteArrayList<>();
  final List<DescribeCommunicationsRequest> communicationRequests = new CopyOnWriteArrayList<>();
  final Set<String> noSupportPlan = new HashSet<>();
  final Map<String, Integer> throttleNextCalls = new ConcurrentHashMap<>();
  final List<String> assumed = new CopyOnWriteArrayList<>();
  final Map<String, Consumer<CaseDetails.Builder>> replyEdits = new ConcurrentHashMap<>();
  int pageSize = 10;

  void add(String accountId, String caseId, String language, String status, String timeCreated, Communication... communications) {
    cases.put(caseId, new StoredCase(accountId, caseId, language, status, timeCreated, new ArrayList<>(List.of(communications))));
  }

  void setStatus(String caseId, String status) {
    StoredCase c = cases.get(caseId);
    cases.put(caseId, new StoredCase(c.accountId(), caseId, c.language(), status, c.timeCreated(), c.communications()));
  }

  /** AWS sends the stored case {@code caseId} changed by {@code edit}, e.g. without its caseId. */
  void editReply(String caseId, Consumer<CaseDetails.Builder> edit) {
    replyEdits.put(caseId, edit);
  }

  static Communication communication(String body, String at) {
    return Communication.builder().body(body).submittedBy("Amazon Web Services").timeCreated(at).build();
  }

  @Override
  public void ensureCredentials(String accountId) {
    assumed.add(accountId);
  }

  @Override
  public boolean needsCredentials(String accountId) {
    return !assumed.contains(accountId);
  }

  @Override
  public DescribeCasesResponse describeCases(String accountId, DescribeCasesRequest request) {
    caseRequests.add(request);
    if (throttleNextCalls.merge(accountId, -1, Integer::sum) >= 0) {
      throw (SupportException) SupportException.builder().statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
    }
    if (noSupportPlan.contains(accountId)) {
      throw (SupportException) SupportException.builder().statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("SubscriptionRequiredException")
              .errorMessage("AWS Premium Support Subscription is required").build()).build();
    }
    String language = request.language() == null ? "en" : request.language();
    List<StoredCase> matching = cases.values().stream()
        .filter(c -> c.accountId().equals(accountId) && c.language().equals(language))
        .filter(c -> Boolean.TRUE.equals(request.includeResolvedCases()) || !c.status().equals("resolved"))
        .filter(c -> request.afterTime() == null || Instant.parse(c.timeCreated()).isAfter(Instant.parse(request.afterTime())))
        .filter(c -> !request.hasCaseIdList() || request.caseIdList().contains(c.caseId()))
        .sorted((a, b) -> b.timeCreated().compareTo(a.timeCreated()))
        .toList();
    int offset = 0;
    if (request.nextToken() != null) {
      String[] token = request.nextToken().split("\\|", 2);
      if (!token[1].equals(fingerprint(request))) {
        throw new IllegalArgumentException("nextToken used with other filters than it was issued for");
      }
      offset = Integer.parseInt(token[0]);
    }
    int size = Math.min(pageSize, request.maxResults() == null ? 100 : request.maxResults());
    List<StoredCase> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + size, matching.size()));
    String next = offset + size < matching.size() ? (offset + size) + "|" + fingerprint(request) : null;
    return DescribeCasesResponse.builder().cases(page.stream().map(c -> toSdk(c, request)).toList()).nextToken(next).build();
  }

  private static String fingerprint(DescribeCasesRequest r) {
    return r.toBuilder().nextToken(null).build().toString();
  }

  private CaseDetails toSdk(StoredCase c, DescribeCasesRequest request) {
    List<Communication> recent = c.communications().subList(0, Math.min(5, c.communications().size()));
    boolean include = request.includeCommunications() == null || request.includeCommunications();
    CaseDetails.Builder details = CaseDetails.builder()
        .caseId(c.caseId()).displayId("1" + Math.abs(c.caseId().hashCode())).subject("subject of " + c.caseId())
        .status(c.status()).serviceCode("amazon-ec2").categoryCode("other").severityCode("low")
        .submittedBy("dev@example.com").timeCreated(c.timeCreated()).language(c.language())
        .recentCommunications(include
            ? RecentCaseCommunications.builder().communications(recent).nextToken(c.communications().size() > 5 ? "more" : null).build()
            : null);
    replyEdits.getOrDefault(c.caseId(), edit -> {}).accept(details);
    return details.build();
  }

  @Override
  public DescribeCommunicationsResponse describeCommunications(String accountId, DescribeCommunicationsRequest request) {
    communicationRequests.add(request);
    Instant after = request.afterTime() == null ? Instant.MIN : Instant.parse(request.afterTime());
    List<Communication> newer = cases.get(request.caseId()).communications().stream()
        .filter(c -> Instant.parse(c.timeCreated()).isAfter(after)).toList();
    return DescribeCommunicationsResponse.builder().communications(newer).build();
  }
}
