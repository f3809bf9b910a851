package io.casefeed.sink.athena;

import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schemas.table.CaseListCsv;
import io.casefeed.schemas.table.Column;
import io.casefeed.schemas.table.Table;
import io.casefeed.sink.format.AccountRow;
import io.casefeed.sink.format.ChangeRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The analytics template's generated part is what the table model makes today (the schema-evolution
 * guard), and its Glue columns, the DDL of athena-ddl and the sink's files (CSV header, Parquet schema) agree.
 */
class AnalyticsTemplateTest {

  static final Path TEMPLATE = repoRoot().resolve("deploy/cloudformation/casefeed-analytics.yaml");

  @Test
  void theCommittedTemplateIsWhatTheTableModelGenerates() throws Exception {
    if (Boolean.getBoolean("casefeed.regenerate")) {
      AnalyticsTemplate.main(new String[] {TEMPLATE.toString()});
    }
    String committed = Files.readString(TEMPLATE, StandardCharsets.UTF_8);
    assertThat(committed)
        .as("deploy/cloudformation/casefeed-analytics.yaml is stale: regenerate it with "
            + "mvn -o -q -pl sink-s3 -am test -Dtest=AnalyticsTemplateTest -Dsurefire.failIfNoSpecifiedTests=false -Dcasefeed.regenerate=true")
        .isEqualTo(AnalyticsTemplate.update(committed));
  }

  @Test
  void glueColumnsAthenaDdlAndTheSinksFilesAgree() throws Exception {
    String committed = Files.readString(TEMPLATE, StandardCharsets.UTF_8);
    String ddl = AthenaDdl.render("b", "p", "d", LocalDate.of(2024, 1, 1));
    for (var table : List.of(new Object[] {"case_changes", ChangeRow.TABLE, false},
        new Object[] {"case_list", CaseListCsv.TABLE, true}, new Object[] {"case_list_parquet", CaseListCsv.TABLE, false},
        new Object[] {"accounts", AccountRow.TABLE, false})) {
      String name = (String) table[0];
      Table<?> model = (Table<?>) table[1];
      boolean allStrings = (Boolean) table[2];
      List<String> glue = glueColumns(committed, name);
      assertThat(glue).as("Glue columns of %s in the committed template", name).isEqualTo(ddlColumns(ddl, name));
      List<String> fromModel = new ArrayList<>();
      for (Column<?> column : model.columns()) {
        fromModel.add(column.sqlName() + " " + (allStrings ? "string" : column.type().athenaType()));
      }
      assertThat(glue).as("%s and the table model", name).isEqualTo(fromModel);
      assertThat(glue.stream().map(c -> c.split(" ")[0]).toList()).as("%s and the Parquet schema the sink writes", name)
          .isEqualTo(model.avroSchema().getFields().stream().map(Schema.Field::name).toList());
    }
    assertThat(CaseListCsv.TABLE.csvHeader().subList(0, CaseListCsv.SEED_COLUMNS.size())).isEqualTo(CaseListCsv.SEED_COLUMNS);
  }

  @Test
  void aNewFieldInTheModelChangesTheGeneratedTemplate() {
    // The guard is only as good as the generator: a column the model gains must reach the Glue table.
    Table<Object> grown = new Table<>("Grown", "test", List.of(
        new Column<Object>("a", "a", io.casefeed.schemas.table.ColumnType.STRING, o -> null),
        new Column<Object>("new-field", "new_field", io.casefeed.schemas.table.ColumnType.LONG, o -> null)));
    assertThat(AnalyticsTemplate.columns(grown, false)).extracting(c -> c.get("Name") + " " + c.get("Type"))
        .containsExactly("a string", "new_field bigint");
  }

  @Test
  void theDashboardIsTheSeedsPivotAndOpenCasesOverTime() {
    Map<String, Object> definition = PivotDashboard.definition(Map.of());
    String text = definition.toString();
    assertThat(text).contains("Rows=[{CategoricalDimensionField={FieldId=case_counts.account,")
        .contains("Columns=[{CategoricalDimensionField={FieldId=case_counts.status")
        .contains("Values=[{NumericalMeasureField={FieldId=case_counts.cases")
        .contains("LineChartVisual").contains("open_cases_by_day.open_cases");
    assertThat(PivotDashboard.FILTERS).containsExactly("severity", "service", "language");
    assertThat(AnalyticsTemplate.viewColumns().get("case_counts")).extracting(c -> c[0] + ":" + c[1])
        .containsExactly("account_id:STRING", "account_name:STRING", "account:STRING", "status:STRING", "severity:STRING", "service:STRING", "language:STRING", "cases:INTEGER");
    assertThat(AnalyticsTemplate.viewColumns().get("open_cases_by_day")).extracting(c -> c[0] + ":" + c[1])
        .containsExactly("day:DATETIME", "open_cases:INTEGER");
  }

  /** "name type" of each column of a Glue table in the template, read as text so no YAML library is needed. */
  private static List<String> glueColumns(String template, String table) {
    int start = template.indexOf("Name: \"" + table + "\"");
    assertThat(start).as("Glue table %s in the template", table).isPositive();
    int columns = template.indexOf("Columns:", start);
    String block = template.substring(columns, nextResource(template, columns));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("- Name: \"([^\"]+)\"\\s+Type: \"([^\"]+)\"").matcher(block);
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }

  private static int nextResource(String template, int from) {
    Matcher m = Pattern.compile("\n  [A-Za-z#]").matcher(template);
    return m.find(from) ? m.start() : template.length();
  }

  private static List<String> ddlColumns(String ddl, String table) {
    int start = ddl.indexOf("d." + table + " (");
    String block = ddl.substring(start, ddl.indexOf("\n)", start));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]+)` (\\w+)").matcher(block);
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2));
    }
    return out;
  }

  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/cloudformation"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
