package io.casefeed.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML loading for the deploy files. CloudFormation's short-form tags ({@code !Ref x},
 * {@code !Sub "..."}, {@code !GetAtt a.b}) become their long form ({@code {Ref: x}},
 * {@code {Fn::Sub: ...}}, {@code {Fn::GetAtt: [a, b]}}), so a template reads the same whichever form
 * it was written in. Compose's merge tags ({@code !override}, {@code !reset}) become
 * {@code {"!override": value}}, so a test sees which values replace rather than merge.
 */
final class Yamls {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Yamls() {}

  static JsonNode cloudFormation(String text) {
    return JSON.valueToTree(new Yaml(new TaggedConstructor(true)).load(text));
  }

  static JsonNode compose(String text) {
    return JSON.valueToTree(new Yaml(new TaggedConstructor(false)).load(text));
  }

  /** Turns every local tag {@code !Name} into a one-key map, keeping the tagged node's value. */
  private static final class TaggedConstructor extends SafeConstructor {
    private final boolean cloudFormation;

    TaggedConstructor(boolean cloudFormation) {
      super(limits());
      this.cloudFormation = cloudFormation;
      AbstractConstruct tagged = new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          return Map.of(keyOf(node.getTag()), valueOf(node));
        }
      };
      // Unknown tags of every node kind reach the constructor registered for the null tag.
      this.yamlConstructors.put(null, tagged);
      this.yamlMultiConstructors.put("!", tagged);
    }

    private String keyOf(Tag tag) {
      String name = tag.getValue().substring(1);
      if (!cloudFormation) {
        return "!" + name;
      }
      return name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
    }

    private Object valueOf(Node node) {
      if (node instanceof ScalarNode scalar) {
        String value = scalar.getValue();
        // !GetAtt Resource.Attribute is the short form of Fn::GetAtt: [Resource, Attribute].
        if (cloudFormation && node.getTag().getValue().equals("!GetAtt") && value.contains(".")) {
          int dot = value.indexOf('.');
          return java.util.List.of(value.substring(0, dot), value.substring(dot + 1));
        }
        return value;
      }
      if (node instanceof SequenceNode sequence) {
        return constructSequence(sequence);
      }
      Map<Object, Object> map = new LinkedHashMap<>();
      constructMapping2ndStep((MappingNode) node, map);
      return map;
    }

    private static LoaderOptions limits() {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return options;
    }
  }
}
