package io.casefeed.localcloud;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Builds the initial organisation of a scenario, deterministically for its seed, relative to {@code now}. */
final class OrganisationGenerator {

  static final Duration HISTORY = Duration.ofDays(730);
  /** Mean age of a generated case: the history thins out exponentially into the past. */
  private static final Duration RECENT_HISTORY = Duration.ofDays(120);
  private static final List<String> TEAMS = List.of("payments", "search", "identity", "analytics", "checkout",
      "platform", "media", "billing", "logistics", "mobile", "data", "security");
  private static final List<String> ENVIRONMENTS = List.of("prod", "staging", "dev", "sandbox");
  private static final List<String> OPEN_STATUSES = List.of("unassigned", "work-in-progress",
      "pending-customer-action", "customer-action-completed", "opened", "reopened");
  private static final Map<String, List<String>> SUBJECTS = Map.of(
      "en", List.of("Instance unreachable after reboot", "Elevated 5xx errors from our load balancer",
          "Request to raise the concurrency limit", "Replica lag keeps growing", "Access denied on bucket policy update",
          "Throttling on table writes during peak", "Node group fails to join the cluster", "Unexpected charge on invoice"),
      "ja", List.of("再起動後にインスタンスに接続できません", "ロードバランサーで5xxエラーが増加しています",
          "同時実行数の上限緩和のお願い", "レプリカの遅延が増え続けています"),
      "zh", List.of("实例重启后无法访问", "负载均衡器 5xx 错误增加", "申请提高并发限制"),
      "ko", List.of("재부팅 후 인스턴스에 연결할 수 없습니다", "로드 밸런서 5xx 오류 증가", "동시성 한도 증가 요청"));
  private static final Map<String, List<String>> AWS_REPLIES = Map.of(
      "en", List.of("Thank you for contacting AWS Support. We are looking into this.",
          "Could you share the request IDs and the time window of the errors?",
          "We have applied the change on our side; please confirm it works for you."),
      "ja", List.of("お問い合わせいただきありがとうございます。調査いたします。", "エラーが発生した時間帯とリクエストIDを共有いただけますか。"),
      "zh", List.of("感谢您联系 AWS Support，我们正在调查。", "请提供请求 ID 和出错的时间段。"),
      "ko", List.of("AWS Support에 문의해 주셔서 감사합니다. 확인 중입니다.", "요청 ID와 오류 발생 시간을 알려 주시겠습니까?"));
  private static final Map<String, List<String>> CUSTOMER_REPLIES = Map.of(
      "en", List.of("Here are the request IDs you asked for.", "It happened again this morning.",
          "Confirmed, it works now. Thanks!"),
      "ja", List.of("ご依頼のリクエストIDをお送りします。", "今朝も再発しました。"),
      "zh", List.of("这是您要的请求 ID。", "今天早上又发生了。"),
      "ko", List.of("요청하신 요청 ID를 보내드립니다.", "오늘 아침에 다시 발생했습니다."));

  private final Scenario scenario;
  private final Instant now;
  private final Random random;
  private long nextDisplayId;

  OrganisationGenerator(Scenario scenario, Instant now) {
    this.scenario = scenario;
    this.now = now;
    this.random = new Random(scenario.seed());
    this.nextDisplayId = 1_000_000_000L + Math.floorMod(scenario.seed(), 1_000_000_000L);
  }

  OrganisationState generate() {
    Set<String> usedIds = new HashSet<>();
    String managementId = scenario.managementAccountId() != null ? scenario.managementAccountId() : accountId();
    usedIds.add(managementId);
    List<SimulatedAccount> accounts = new ArrayList<>();
    Map<String, List<SimulatedCase>> cases = new LinkedHashMap<>();
    List<String> throttled = new ArrayList<>();
    for (int index = 0; index < scenario.accounts(); index++) {
      String id = managementId;
      if (index > 0) {
        do {
          id = accountId();
        } while (!usedIds.add(id));
      }
      Scenario.AccountSpec spec = scenario.overrideFor(index);
      int trait = index == 0 ? 0 : index % 10;
      String name = spec != null && spec.name() != null ? spec.name()
          : index == 0 ? "management" : TEAMS.get(index % TEAMS.size()) + "-" + ENVIRONMENTS.get((index / TEAMS.size()) % ENVIRONMENTS.size()) + "-" + index;
      String status = spec != null && spec.status() != null ? spec.status()
          : trait == 9 ? SimulatedAccount.SUSPENDED : SimulatedAccount.ACTIVE;
      boolean supportPlan = spec != null && spec.supportPlan() != null ? spec.supportPlan() : trait != 1;
      boolean hasRole = spec != null && spec.hasRole() != null ? spec.hasRole() : trait != 2;
      boolean hot = spec != null && spec.hot() != null ? spec.hot() : trait == 3;
      boolean isThrottled = spec != null && spec.throttled() != null ? spec.throttled() : trait == 4;
      SimulatedAccount account = new SimulatedAccount(id, name, status, supportPlan, hasRole, hot);
      accounts.add(account);
      if (isThrottled) {
        throttled.add(id);
      }
      cases.put(id, supportPlan ? casesOf(account, spec) : List.of());
    }
    return new OrganisationState(scenario, managementId, accounts, cases, throttled, nextDisplayId, 0L);
  }

  private List<SimulatedCase> casesOf(SimulatedAccount account, Scenario.AccountSpec spec) {
    List<SimulatedCase> cases = new ArrayList<>();
    if (spec != null && (spec.openCases() != null || spec.resolvedCases() != null)) {
      for (int i = 0; i < (spec.openCases() == null ? 0 : spec.openCases()); i++) {
        cases.add(historicCase(account, spec.language(), Duration.ofDays(60), false));
      }
      for (int i = 0; i < (spec.resolvedCases() == null ? 0 : spec.resolvedCases()); i++) {
        cases.add(historicCase(account, spec.language(), HISTORY, true));
      }
    } else if (account.hot()) {
      for (int i = 0; i < scenario.hotCases(); i++) {
        cases.add(caseAt(account, i % 2 == 0 ? "en" : "ja", recentPast(), null));
      }
    } else {
      int count = scenario.minCases() + random.nextInt(scenario.maxCases() - scenario.minCases() + 1);
      for (int i = 0; i < count; i++) {
        cases.add(caseAt(account, language(), recentPast(), null));
      }
    }
    cases.sort(NEWEST_FIRST);
    return cases;
  }

  static final Comparator<SimulatedCase> NEWEST_FIRST =
      Comparator.comparing(SimulatedCase::timeCreated).thenComparing(SimulatedCase::caseId).reversed();

  /** When a case was opened: most history is recent, thinning out exponentially into the past, two years at most. */
  private Instant recentPast() {
    // A truncated exponential (inverse CDF), not a clamp: clamping would pile cases on the two-year edge, where a
    // sweep that starts seconds later no longer sees them. A day of margin keeps every case inside that window.
    double mean = RECENT_HISTORY.toMillis();
    double oldest = HISTORY.minus(Duration.ofDays(1)).toMillis();
    double ago = -mean * Math.log(1 - random.nextDouble() * (1 - Math.exp(-oldest / mean)));
    return now.minusMillis(1 + (long) ago);
  }

  private SimulatedCase historicCase(SimulatedAccount account, String language, Duration within, boolean resolved) {
    return caseAt(account, language, now.minusMillis(1 + (long) (random.nextDouble() * within.toMillis())), resolved);
  }

  /**
   * One case with a history that follows AWS's response targets: the first AWS answer within the severity's target
   * (sometimes late), replies until it is resolved or until now, and a last communication at its resolution.
   *
   * @param resolvedOrNull true or false to force the outcome (scenario counts, hot accounts); null: resolved when its
   *     drawn time to resolve has passed
   */
  private SimulatedCase caseAt(SimulatedAccount account, String language, Instant created, Boolean resolvedOrNull) {
    SupportCatalogue.Service service = pick(SupportCatalogue.SERVICES);
    SupportCatalogue.Category category = pick(service.categories());
    ResponseTargets.Plan plan = ResponseTargets.planOf(account.id());
    String severity = ResponseTargets.offered(pick(SupportCatalogue.SEVERITY_LEVELS).code(), plan);
    Instant resolvedAt = created.plus(ResponseTargets.timeToResolve(severity, random));
    boolean resolved = resolvedOrNull != null ? resolvedOrNull : resolvedAt.isBefore(now);
    if (resolved && !resolvedAt.isBefore(now)) {
      resolvedAt = created.plusMillis((long) (random.nextDouble() * Duration.between(created, now).toMillis()));
    }
    Instant end = resolved ? resolvedAt : now;
    String customer = customerAddress(account);
    List<SimulatedCommunication> oldestFirst = new ArrayList<>();
    String subject = pick(SUBJECTS.get(language));
    oldestFirst.add(new SimulatedCommunication(subject + "\n\n" + pick(CUSTOMER_REPLIES.get(language)), customer,
        Timestamps.format(created)));
    Instant newest = created;
    Instant firstAnswer = created.plus(ResponseTargets.firstResponse(severity, plan, random));
    if (firstAnswer.isBefore(end)) {
      newest = firstAnswer;
      oldestFirst.add(new SimulatedCommunication(pick(AWS_REPLIES.get(language)), SimulatedCase.AWS_SUBMITTER,
          Timestamps.format(firstAnswer)));
      int replies = random.nextInt(6);
      Instant last = firstAnswer;
      for (int i = 0; i < replies; i++) {
        last = last.plusMillis(1 + (long) (random.nextDouble() * Duration.between(last, end).toMillis() / (replies - i + 1)));
        if (!last.isBefore(end)) {
          break;
        }
        boolean fromAws = i % 2 == 1;
        oldestFirst.add(new SimulatedCommunication(pick((fromAws ? AWS_REPLIES : CUSTOMER_REPLIES).get(language)),
            fromAws ? SimulatedCase.AWS_SUBMITTER : customer, Timestamps.format(last)));
        newest = last;
      }
    }
    if (resolved && resolvedAt.isAfter(newest)) {
      // The case closes with a last word, so its newest communication marks when it was resolved.
      boolean fromAws = random.nextBoolean();
      oldestFirst.add(new SimulatedCommunication(pick((fromAws ? AWS_REPLIES : CUSTOMER_REPLIES).get(language)),
          fromAws ? SimulatedCase.AWS_SUBMITTER : customer, Timestamps.format(resolvedAt)));
    }
    String status;
    if (resolved) {
      status = SimulatedCase.RESOLVED;
    } else if (oldestFirst.size() == 1) {
      status = "unassigned";
    } else {
      status = SimulatedCase.AWS_SUBMITTER.equals(oldestFirst.get(oldestFirst.size() - 1).submittedBy())
          ? "pending-customer-action" : pick(OPEN_STATUSES.subList(1, OPEN_STATUSES.size()));
    }
    List<SimulatedCommunication> newestFirst = new ArrayList<>(oldestFirst);
    Collections.reverse(newestFirst);
    List<String> cc = random.nextInt(4) == 0 ? List.of("oncall@" + domainOf(account)) : List.of();
    return new SimulatedCase(caseId(account.id(), created), displayId(), subject, status, service.code(),
        category.code(), severity, customer, Timestamps.format(created), cc, language, newestFirst);
  }

  String caseId(String accountId, Instant created) {
    return "case-" + accountId + "-" + created.atZone(ZoneOffset.UTC).getYear() + "-"
        + String.format(Locale.ROOT, "%016x", random.nextLong());
  }

  String displayId() {
    return Long.toString(nextDisplayId++);
  }

  long nextDisplayId() {
    return nextDisplayId;
  }

  static String customerAddress(SimulatedAccount account) {
    return "ops@" + domainOf(account);
  }

  static String domainOf(SimulatedAccount account) {
    return account.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + ".example.com";
  }

  static String awsReply(Random random, String language) {
    List<String> replies = AWS_REPLIES.getOrDefault(language, AWS_REPLIES.get("en"));
    return replies.get(random.nextInt(replies.size()));
  }

  static String customerReply(Random random, String language) {
    List<String> replies = CUSTOMER_REPLIES.getOrDefault(language, CUSTOMER_REPLIES.get("en"));
    return replies.get(random.nextInt(replies.size()));
  }

  static String subject(Random random, String language) {
    List<String> subjects = SUBJECTS.getOrDefault(language, SUBJECTS.get("en"));
    return subjects.get(random.nextInt(subjects.size()));
  }

  private String language() {
    double total = scenario.languages().values().stream().mapToDouble(Double::doubleValue).sum();
    double roll = random.nextDouble() * total;
    for (String language : Scenario.SUPPORTED_LANGUAGES) {
      roll -= scenario.languages().getOrDefault(language, 0.0);
      if (roll < 0) {
        return language;
      }
    }
    return "en";
  }

  private String accountId() {
    return String.format(Locale.ROOT, "%d%011d", 1 + random.nextInt(9), (long) (random.nextDouble() * 100_000_000_000L));
  }

  private <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
