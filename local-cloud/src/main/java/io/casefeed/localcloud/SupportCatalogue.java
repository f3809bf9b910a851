package io.casefeed.localcloud;

import java.util.List;
import java.util.Map;

/** The AWS services, categories and severity levels the simulated Support API knows. */
public final class SupportCatalogue {

  /** A service a case can be about, with its categories (AWS's Service and Category shapes). */
  public record Service(String code, String name, List<Category> categories) {
  }

  public record Category(String code, String name) {
  }

  public record SeverityLevel(String code, String name) {
  }

  public static final List<Service> SERVICES = List.of(
      new Service("amazon-elastic-compute-cloud-linux", "Elastic Compute Cloud (EC2 - Linux)", List.of(
          new Category("instance-issue", "Instance Issue"), new Category("performance", "Performance"),
          new Category("other", "Other"))),
      new Service("amazon-simple-storage-service", "Simple Storage Service (S3)", List.of(
          new Category("access-issue", "Access Issue"), new Category("performance", "Performance"),
          new Category("other", "Other"))),
      new Service("amazon-relational-database-service-mysql", "Relational Database Service (MySQL)", List.of(
          new Category("connectivity", "Connectivity"), new Category("performance", "Performance"),
          new Category("backup-and-restore", "Backup and Restore"))),
      new Service("aws-lambda", "Lambda", List.of(
          new Category("function-issue", "Function Issue"), new Category("limits", "Limits"),
          new Category("other", "Other"))),
      new Service("amazon-dynamodb", "DynamoDB", List.of(
          new Category("throttling", "Throttling"), new Category("general-guidance", "General Guidance"))),
      new Service("amazon-elastic-kubernetes-service", "Elastic Kubernetes Service (EKS)", List.of(
          new Category("cluster-issue", "Cluster Issue"), new Category("networking", "Networking"))),
      new Service("service-limit-increase", "Service Limit Increase", List.of(
          new Category("ec2-instances", "EC2 Instances"), new Category("lambda", "Lambda"))),
      new Service("general-info", "General Info and Getting Started", List.of(
          new Category("using-aws", "Using AWS & Services"), new Category("other", "Other"))));

  public static final List<SeverityLevel> SEVERITY_LEVELS = List.of(
      new SeverityLevel("low", "Low"), new SeverityLevel("normal", "Normal"), new SeverityLevel("high", "High"),
      new SeverityLevel("urgent", "Urgent"), new SeverityLevel("critical", "Critical"));

  /** Every status AWS Support reports. */
  public static final List<String> STATUSES = List.of("opened", "pending-customer-action", "reopened", "resolved",
      "unassigned", "work-in-progress", "customer-action-completed");

  /**
   * Service names as DescribeServices gives them in Japanese, Chinese and Korean (AWS localises the
   * name; the code stays). A service missing here keeps its English name.
   */
  private static final Map<String, Map<String, String>> LOCALISED_NAMES = Map.of(
      "ja", Map.of("amazon-elastic-compute-cloud-linux", "Elastic Compute Cloud (EC2 - Linux)",
          "amazon-simple-storage-service", "Simple Storage Service (S3)",
          "service-limit-increase", "サービスの制限の引き上げ",
          "general-info", "一般的な情報と入門"),
      "zh", Map.of("service-limit-increase", "服务限制提升", "general-info", "一般信息和入门"),
      "ko", Map.of("service-limit-increase", "서비스 한도 증가", "general-info", "일반 정보 및 시작하기"));

  private SupportCatalogue() {
  }

  /** The name of {@code service} in {@code language} (one of {@code Scenario.SUPPORTED_LANGUAGES}). */
  public static String serviceName(Service service, String language) {
    return LOCALISED_NAMES.getOrDefault(language, Map.of()).getOrDefault(service.code(), service.name());
  }

  public static boolean isSeverity(String code) {
    return SEVERITY_LEVELS.stream().anyMatch(level -> level.code().equals(code));
  }

  public static boolean isService(String code) {
    return SERVICES.stream().anyMatch(service -> service.code().equals(code));
  }
}
