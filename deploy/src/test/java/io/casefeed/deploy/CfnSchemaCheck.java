package io.casefeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one CloudFormation template (long form, see {@link Yamls}) against {@link CfnResourceSpec}: resource types
 * exist, property names exist (nested property types too), literal values have the property's primitive type,
 * required properties are present, and {@code Fn::GetAtt} names an attribute of the resource's type. Values computed
 * by intrinsic functions are not typed (their result is only known at deploy time); both branches of {@code Fn::If}
 * are checked.
 */
final class CfnSchemaCheck {

  private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "Condition", "Metadata",
      "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy");

  private final CfnResourceSpec spec;
  private final String templateName;
  private final JsonNode template;
  private final List<String> problems = new ArrayList<>();

  private CfnSchemaCheck(CfnResourceSpec spec, String templateName, JsonNode template) {
    this.spec = spec;
    this.templateName = templateName;
    this.template = template;
  }

  /** Every problem as "template: LogicalId (Type): property path: what is wrong"; empty when the template is valid. */
  static List<String> problems(CfnResourceSpec spec, String templateName, JsonNode template) {
    CfnSchemaCheck check = new CfnSchemaCheck(spec, templateName, template);
    check.resources();
    check.getAtts(template);
    return check.problems;
  }

  private void resources() {
    for (Map.Entry<String, JsonNode> entry : (Iterable<Map.Entry<String, JsonNode>>) template.path("Resources")::fields) {
      String id = entry.getKey();
      JsonNode resource = entry.getValue();
      String type = resource.path("Type").asText();
      resource.fieldNames().forEachRemaining(key -> {
        if (!RESOURCE_KEYS.contains(key)) {
          problems.add(where(id, type, key) + "unknown resource attribute");
        }
      });
      if (isCustom(type)) {
        continue;
      }
      JsonNode schema = spec.resource(type).orElse(null);
      if (schema == null) {
        problems.add(templateName + ": " + id + " (" + type + "): resource type does not exist");
        continue;
      }
      checkObject(id, type, "", schema.path("properties"), resource.path("Properties"));
    }
  }

  /** An object of properties: every name known, every required one present, every value of its type. */
  private void checkObject(String id, String type, String path, JsonNode properties, JsonNode value) {
    if (value.isMissingNode()) {
      value = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (isIntrinsic(value)) {
      for (JsonNode branch : ifBranches(value)) {
        checkObject(id, type, path, properties, branch);
      }
      return;
    }
    if (!value.isObject()) {
      problems.add(where(id, type, path) + "expected an object, found " + value);
      return;
    }
    final JsonNode object = value;
    object.fieldNames().forEachRemaining(name -> {
      JsonNode property = properties.get(name);
      if (property == null) {
        problems.add(where(id, type, join(path, name)) + "property does not exist");
      } else {
        checkValue(id, type, join(path, name), property.path("type"), object.get(name));
      }
    });
    properties.fields().forEachRemaining(property -> {
      if (property.getValue().path("required").asBoolean() && !object.has(property.getKey())) {
        problems.add(where(id, type, join(path, property.getKey())) + "required property is missing");
      }
    });
  }

  private void checkValue(String id, String type, String path, JsonNode propertyType, JsonNode value) {
    if (isIntrinsic(value)) {
      for (JsonNode branch : ifBranches(value)) {
        checkValue(id, type, path, propertyType, branch);
      }
      return;
    }
    switch (propertyType.path("type").asText()) {
      case "string", "date-time" -> expect(value.isValueNode() && !value.isNull(), id, type, path, "a string", value);
      case "integer" -> expect(value.isIntegralNumber() || value.isTextual() && value.asText().matches("-?\\d+"),
          id, type, path, "an integer", value);
      case "number" -> expect(value.isNumber() || value.isTextual() && value.asText().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?"),
          id, type, path, "a number", value);
      case "boolean" -> expect(value.isBoolean() || value.isTextual() && Set.of("true", "false").contains(value.asText()),
          id, type, path, "a boolean", value);
      case "json" -> { }
      case "tag" -> {
        if (expect(value.isObject(), id, type, path, "a tag {Key, Value}", value)) {
          expect(value.has("Key") && value.has("Value") && value.size() == 2, id, type, path, "a tag {Key, Value}", value);
        }
      }
      case "array" -> {
        if (expect(value.isArray(), id, type, path, "a list", value)) {
          int index = 0;
          for (JsonNode element : value) {
            checkValue(id, type, path + "[" + index++ + "]", propertyType.path("element"), element);
          }
        }
      }
      case "map" -> {
        if (expect(value.isObject(), id, type, path, "a map", value)) {
          value.fields().forEachRemaining(e -> checkValue(id, type, join(path, e.getKey()), propertyType.path("element"), e.getValue()));
        }
      }
      case "ref" -> {
        JsonNode definition = spec.type(propertyType.path("reference").path("$ref").asText());
        checkObject(id, type, path, definition.path("properties"), value);
      }
      case "union" -> {
        // Valid when one of the alternatives accepts the value; otherwise report the last alternative's problems.
        List<String> last = List.of();
        for (JsonNode alternative : propertyType.path("types")) {
          CfnSchemaCheck trial = new CfnSchemaCheck(spec, templateName, template);
          trial.checkValue(id, type, path, alternative, value);
          if (trial.problems.isEmpty()) {
            return;
          }
          last = trial.problems;
        }
        problems.addAll(last);
      }
      default -> problems.add(where(id, type, path) + "the spec has an unknown type " + propertyType);
    }
  }

  private boolean expect(boolean ok, String id, String type, String path, String expected, JsonNode value) {
    if (!ok) {
      problems.add(where(id, type, path) + "expected " + expected + ", found " + value);
    }
    return ok;
  }

  private void getAtts(JsonNode node) {
    if (node.isObject() && node.has("Fn::GetAtt")) {
      JsonNode getAtt = node.get("Fn::GetAtt");
      String id = getAtt.path(0).asText();
      JsonNode attributeNode = getAtt.path(1);
      String type = template.path("Resources").path(id).path("Type").asText();
      // A computed attribute name (e.g. Fn::Sub) is only known at deploy time; unknown ids are CloudFormationTemplatesTest's job.
      if (attributeNode.isTextual() && !type.isEmpty() && !isCustom(type)) {
        String attribute = attributeNode.asText();
        boolean nestedOutput = type.equals("AWS::CloudFormation::Stack") && attribute.startsWith("Outputs.");
        boolean known = spec.resource(type).map(r -> r.path("attributes").has(attribute)).orElse(true);
        if (!known && !nestedOutput) {
          problems.add(templateName + ": " + id + " (" + type + "): Fn::GetAtt attribute " + attribute + " does not exist");
        }
      }
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      getAtts(it.next());
    }
  }

  private String where(String id, String type, String path) {
    return templateName + ": " + id + " (" + type + "): " + (path.isEmpty() ? "" : path + ": ");
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static boolean isCustom(String type) {
    return type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource");
  }

  private static boolean isIntrinsic(JsonNode value) {
    if (!value.isObject() || value.size() != 1) {
      return false;
    }
    String key = value.fieldNames().next();
    return key.equals("Ref") || key.startsWith("Fn::");
  }

  /** The values an intrinsic can stand for that a check can see: both branches of Fn::If, none otherwise. */
  private static List<JsonNode> ifBranches(JsonNode intrinsic) {
    List<JsonNode> branches = new ArrayList<>();
    JsonNode fnIf = intrinsic.get("Fn::If");
    if (fnIf != null) {
      for (int i = 1; i <= 2; i++) {
        JsonNode branch = fnIf.path(i);
        if (!branch.isMissingNode() && !branch.path("Ref").asText().equals("AWS::NoValue")) {
          branches.add(branch);
        }
      }
    }
    return branches;
  }
}
