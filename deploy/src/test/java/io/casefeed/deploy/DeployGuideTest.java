package io.casefeed.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.casefeed.collector.Collector;
import io.casefeed.schemas.TopicSpec;
import io.casefeed.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/deploy.md's commands match the templates and files they name, so the walk-through cannot drift. */
class DeployGuideTest {

  private static final Pattern DEPLOY_COMMAND = Pattern.compile("aws cloudformation deploy (.+)");
  private static final Pattern TEMPLATE_FILE = Pattern.compile("--template-file (\\S+)");
  private static final Pattern OVERRIDES = Pattern.compile("--parameter-overrides (.+?)(?: --|$)");
  private static final Pattern REPO_PATH = Pattern.compile("`((?:deploy|docs)/[A-Za-z0-9_./-]+\\.(?:yaml|md|properties))`");

  private final String guide = RepoFiles.read(RepoFiles.file("docs/deploy.md"));

  @Test
  void everyStackCommandPassesExistingParametersAndAllRequiredOnes() {
    List<String> commands = deployCommands();
    assertThat(commands).as("aws cloudformation deploy commands in the guide").hasSizeGreaterThanOrEqualTo(4);
    Set<String> deployed = new TreeSet<>();
    for (String command : commands) {
      Matcher file = TEMPLATE_FILE.matcher(command);
      assertThat(file.find()).as("template of: %s", command).isTrue();
      deployed.add(file.group(1));
      JsonNode parameters = Yamls.cloudFormation(RepoFiles.read(RepoFiles.file(file.group(1)))).path("Parameters");
      Set<String> given = new TreeSet<>();
      Matcher overrides = OVERRIDES.matcher(command);
      if (overrides.find()) {
        for (String assignment : overrides.group(1).trim().split("\\s+")) {
          given.add(assignment.substring(0, assignment.indexOf('=')));
        }
      }
      Set<String> defined = new TreeSet<>();
      Set<String> required = new TreeSet<>();
      parameters.fields().forEachRemaining(p -> {
        defined.add(p.getKey());
        if (!p.getValue().has("Default")) {
          required.add(p.getKey());
        }
      });
      assertThat(defined).as("parameters of %s", file.group(1)).containsAll(given);
      assertThat(given).as("required parameters given to %s", file.group(1)).containsAll(required);
      boolean createsIamRoles = Yamls.cloudFormation(RepoFiles.read(RepoFiles.file(file.group(1)))).toString().contains("AWS::IAM::Role");
      if (createsIamRoles) {
        assertThat(command).as("%s creates named IAM roles", file.group(1)).contains("CAPABILITY_NAMED_IAM");
      }
    }
    assertThat(deployed).contains("deploy/cloudformation/casefeed-bucket.yaml", "deploy/cloudformation/casefeed-roles.yaml",
        "deploy/cloudformation/member-role-stackset.yaml", "deploy/cloudformation/member-role.yaml");
  }

  @Test
  void everyFileTheGuideNamesExists() {
    Matcher path = REPO_PATH.matcher(guide);
    List<String> named = new ArrayList<>();
    while (path.find()) {
      named.add(path.group(1));
    }
    assertThat(named).isNotEmpty();
    for (String file : named) {
      if (file.contains("<") || file.contains("*")) {
        continue;
      }
      assertThat(RepoFiles.ROOT.resolve(file)).as(file).exists();
    }
  }

  @Test
  void theTopicTableAndTheCreateCommandsAreTheCatalogue() {
    Set<String> catalogue = new TreeSet<>();
    for (TopicSpec spec : operatorTopics()) {
      catalogue.add(spec.name() + " " + spec.defaultPartitions() + " " + new TreeMap<>(spec.topicConfigs()));
    }
    Pattern row = Pattern.compile("^\\| `(casefeed\\.[a-z-]+)` \\| (\\d+) \\| (.+) \\|$", Pattern.MULTILINE);
    Set<String> table = new TreeSet<>();
    for (Matcher rows = row.matcher(guide); rows.find(); ) {
      table.add(rows.group(1) + " " + rows.group(2) + " " + settings(rows.group(3)));
    }
    assertThat(table).as("the topic table of docs/deploy.md").isEqualTo(catalogue);

    Pattern create = Pattern.compile("^create (casefeed\\.[a-z-]+)\\s+--partitions (\\d+)(.*)$", Pattern.MULTILINE);
    Set<String> commands = new TreeSet<>();
    for (Matcher creates = create.matcher(guide); creates.find(); ) {
      Map<String, String> configs = settings(creates.group(3));
      configs.putIfAbsent("cleanup.policy", "delete");
      commands.add(creates.group(1) + " " + creates.group(2) + " " + configs);
    }
    assertThat(commands).as("the kafka-topics.sh commands of docs/deploy.md").isEqualTo(catalogue);
  }

  @Test
  void theMskPoliciesNameCatalogueTopicsOnly() {
    Set<String> names = new TreeSet<>();
    operatorTopics().forEach(spec -> names.add(spec.name()));
    Matcher topic = Pattern.compile("\\$\\{TopicPrefix}(casefeed\\.[a-z-]+)").matcher(RepoFiles.read(RepoFiles.CLOUDFORMATION.resolve("casefeed-roles.yaml")));
    int found = 0;
    while (topic.find()) {
      assertThat(names).as("topic of the MSK policies").contains(topic.group(1));
      found++;
    }
    assertThat(found).isPositive();
  }

  /** {@code key=value} pairs of a table cell or a command ({@code --config k=v}), in key order. */
  private static Map<String, String> settings(String text) {
    Map<String, String> settings = new TreeMap<>();
    for (Matcher pair = Pattern.compile("([a-z.]+)=([a-z0-9]+)").matcher(text); pair.find(); ) {
      settings.put(pair.group(1), pair.group(2));
    }
    return settings;
  }

  private List<String> deployCommands() {
    String joined = guide.replace("\\\n", " ");
    List<String> commands = new ArrayList<>();
    for (String line : joined.lines().toList()) {
      Matcher matcher = DEPLOY_COMMAND.matcher(line.strip().replaceAll("\\s+", " "));
      if (matcher.find()) {
        commands.add(matcher.group(1));
      }
    }
    return commands;
  }

  /** What an operator creates with topic.create=false: the catalogue and the collector's and the notifier's own compacted topics. */
  private static List<TopicSpec> operatorTopics() {
    List<TopicSpec> topics = new ArrayList<>(Topics.ALL);
    topics.addAll(Collector.OWN_TOPICS);
    topics.addAll(io.casefeed.notifier.Notifier.OWN_TOPICS);
    return topics;
  }
}
