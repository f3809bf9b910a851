package io.casefeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a CloudFormation template (long form, see {@link Yamls}): its IAM statements and its references. */
final class CloudFormation {

  /** AWS's Service Authorization Reference lists no resource type for these: Resource must be "*". */
  static final Set<String> ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = Set.of(
      "support:DescribeCases", "support:DescribeCommunications", "support:DescribeServices", "support:DescribeSeverityLevels",
      "organizations:ListAccounts");

  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

  /** One policy statement and where it was found. */
  record Statement(String where, JsonNode node) {
    String effect() {
      return node.path("Effect").asText();
    }

    List<String> actions() {
      return texts(node.get("Action"));
    }

    List<String> resources() {
      return texts(node.get("Resource"));
    }
  }

  private final JsonNode template;

  CloudFormation(JsonNode template) {
    this.template = template;
  }

  JsonNode resource(String logicalId) {
    return template.path("Resources").path(logicalId);
  }

  JsonNode parameters() {
    return template.path("Parameters");
  }

  JsonNode parameter(String name) {
    return template.path("Parameters").path(name);
  }

  List<String> resourcesOfType(String type) {
    List<String> ids = new ArrayList<>();
    template.path("Resources").fields().forEachRemaining(r -> {
      if (r.getValue().path("Type").asText().equals(type)) {
        ids.add(r.getKey());
      }
    });
    return ids;
  }

  /** Every permission statement (not trust policies) of roles, policies and bucket policies. */
  List<Statement> permissionStatements() {
    List<Statement> statements = new ArrayList<>();
    template.path("Resources").fields().forEachRemaining(entry -> {
      String id = entry.getKey();
      JsonNode properties = entry.getValue().path("Properties");
      switch (entry.getValue().path("Type").asText()) {
        case "AWS::IAM::Role" -> properties.path("Policies").forEach(policy ->
            collect(id + "/" + policy.path("PolicyName").asText(), policy.path("PolicyDocument"), statements));
        case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy" ->
            collect(id, properties.path("PolicyDocument"), statements);
        default -> { }
      }
    });
    return statements;
  }

  /** The permission statements of one role: inline policies and the policies attached to it in this template. */
  List<Statement> statementsOfRole(String roleId) {
    List<Statement> statements = new ArrayList<>();
    resource(roleId).path("Properties").path("Policies").forEach(policy -> collect(roleId, policy.path("PolicyDocument"), statements));
    template.path("Resources").fields().forEachRemaining(entry -> {
      if (entry.getValue().path("Type").asText().equals("AWS::IAM::Policy")
          && texts(entry.getValue().path("Properties").path("Roles")).contains("${" + roleId + "}")) {
        collect(entry.getKey(), entry.getValue().path("Properties").path("PolicyDocument"), statements);
      }
    });
    return statements;
  }

  List<Statement> trustStatements(String roleId) {
    List<Statement> statements = new ArrayList<>();
    collect(roleId + "/trust", resource(roleId).path("Properties").path("AssumeRolePolicyDocument"), statements);
    return statements;
  }

  /** Why this template's permissions are not least privilege; empty when they are. */
  List<String> leastPrivilegeViolations() {
    List<String> violations = new ArrayList<>();
    for (Statement statement : permissionStatements()) {
      if (!Set.of("Allow", "Deny").contains(statement.effect())) {
        violations.add(statement.where() + ": Effect must be Allow or Deny, not '" + statement.effect() + "'");
      }
      if (statement.actions().isEmpty() || statement.node().has("NotAction") || statement.node().has("NotResource")) {
        violations.add(statement.where() + ": needs Action and Resource, no NotAction/NotResource");
      }
      // A Deny may name every action (TLS-only guard); an Allow names each action it grants.
      if (!statement.effect().equals("Allow")) {
        continue;
      }
      for (String action : statement.actions()) {
        if (action.contains("*")) {
          violations.add(statement.where() + ": wildcard action " + action);
        }
      }
      for (String resource : statement.resources()) {
        if (resource.equals("*")) {
          for (String action : statement.actions()) {
            if (!ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.contains(action)) {
              violations.add(statement.where() + ": Resource \"*\" for " + action + ", which supports resource-level permissions");
            }
          }
        } else if (!resource.startsWith("arn:${AWS::Partition}:")) {
          violations.add(statement.where() + ": resource " + resource + " is not an ARN in the stack's partition");
        } else {
          String[] parts = resource.split(":", 6);
          if (parts.length < 6 || parts[2].contains("*") || parts[5].isEmpty() || parts[5].startsWith("*")) {
            violations.add(statement.where() + ": resource " + resource + " does not name a service and a resource type");
          }
        }
      }
      if (statement.resources().isEmpty()) {
        violations.add(statement.where() + ": no Resource");
      }
    }
    return violations;
  }

  /** Names used by Ref, Fn::GetAtt, Fn::Sub, Fn::If and resource conditions that the template does not define. */
  List<String> unresolvedReferences() {
    Set<String> names = new LinkedHashSet<>();
    template.path("Parameters").fieldNames().forEachRemaining(names::add);
    template.path("Resources").fieldNames().forEachRemaining(names::add);
    Set<String> conditions = new LinkedHashSet<>();
    template.path("Conditions").fieldNames().forEachRemaining(conditions::add);
    List<String> unresolved = new ArrayList<>();
    walk(template, node -> {
      if (node.has("Ref") && node.size() == 1) {
        checkName(node.get("Ref").asText(), names, unresolved);
      }
      if (node.has("Fn::GetAtt")) {
        checkName(node.get("Fn::GetAtt").get(0).asText(), names, unresolved);
      }
      if (node.has("Fn::Sub")) {
        JsonNode sub = node.get("Fn::Sub");
        String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
        Set<String> local = new LinkedHashSet<>(names);
        if (sub.isArray()) {
          sub.get(1).fieldNames().forEachRemaining(local::add);
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        while (matcher.find()) {
          checkName(matcher.group(1).split("\\.")[0], local, unresolved);
        }
      }
      if (node.has("Fn::If") && !conditions.contains(node.get("Fn::If").get(0).asText())) {
        unresolved.add("condition " + node.get("Fn::If").get(0).asText());
      }
    });
    template.path("Resources").forEach(resource -> {
      if (resource.has("Condition") && !conditions.contains(resource.get("Condition").asText())) {
        unresolved.add("condition " + resource.get("Condition").asText());
      }
    });
    return unresolved;
  }

  private static void checkName(String name, Set<String> names, List<String> unresolved) {
    if (!name.startsWith("AWS::") && !names.contains(name)) {
      unresolved.add(name);
    }
  }

  private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visitor) {
    if (node.isObject()) {
      visitor.accept(node);
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      walk(it.next(), visitor);
    }
  }

  private static void collect(String where, JsonNode document, List<Statement> statements) {
    JsonNode list = document.path("Statement");
    List<JsonNode> nodes = list.isArray() ? branches(list) : List.of(list);
    int index = 0;
    for (JsonNode node : nodes) {
      String sid = node.path("Sid").asText("#" + index);
      statements.add(new Statement(where + "/" + sid, node));
      index++;
    }
  }

  /** Array elements, with each Fn::If replaced by both of its branches (AWS::NoValue dropped). */
  private static List<JsonNode> branches(JsonNode array) {
    List<JsonNode> nodes = new ArrayList<>();
    for (JsonNode element : array) {
      if (element.has("Fn::If")) {
        for (int branch = 1; branch <= 2; branch++) {
          JsonNode value = element.get("Fn::If").get(branch);
          if (!value.path("Ref").asText().equals("AWS::NoValue")) {
            nodes.add(value);
          }
        }
      } else {
        nodes.add(element);
      }
    }
    return nodes;
  }

  /** The strings of a value: a string, a list, an intrinsic (Ref x as ${x}, Fn::Sub as its text), Fn::If as both branches. */
  static List<String> texts(JsonNode value) {
    List<String> texts = new ArrayList<>();
    if (value == null || value.isMissingNode() || value.isNull()) {
      return texts;
    }
    if (value.isTextual()) {
      texts.add(value.asText());
    } else if (value.isArray()) {
      value.forEach(element -> texts.addAll(texts(element)));
    } else if (value.has("Ref")) {
      if (!value.get("Ref").asText().equals("AWS::NoValue")) {
        texts.add("${" + value.get("Ref").asText() + "}");
      }
    } else if (value.has("Fn::Sub")) {
      JsonNode sub = value.get("Fn::Sub");
      texts.add(sub.isArray() ? sub.get(0).asText() : sub.asText());
    } else if (value.has("Fn::GetAtt")) {
      texts.add("${" + value.get("Fn::GetAtt").get(0).asText() + "." + value.get("Fn::GetAtt").get(1).asText() + "}");
    } else if (value.has("Fn::If")) {
      texts.addAll(texts(value.get("Fn::If").get(1)));
      texts.addAll(texts(value.get("Fn::If").get(2)));
    } else {
      for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
        texts.add(field.getKey() + "=" + field.getValue());
      }
    }
    return texts;
  }
}
