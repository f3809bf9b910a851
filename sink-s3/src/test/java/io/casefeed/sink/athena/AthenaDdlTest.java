package io.casefeed.sink.athena;

import io.casefeed.sink.views.PivotViews;
import static org.assertj.core.api.Assertions.assertThat;

import io.casefeed.schemas.table.CaseListCsv;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AthenaDdlTest {

  private final String ddl = AthenaDdl.render("my-bucket", "cf", "support", LocalDate.of(2024, 1, 1));

  @Test
  void historyTableUsesPartitionProjectionOnDt() {
    assertThat(ddl).contains("CREATE EXTERNAL TABLE IF NOT EXISTS support.case_changes (")
        .contains("PARTITIONED BY (dt string)")
        .contains("LOCATION 's3://my-bucket/cf/case_changes/'")
        .contains("'projection.dt.range' = '2024-01-01,NOW'")
        .contains("'storage.location.template' = 's3://my-bucket/cf/case_changes/dt=${dt}/'");
  }

  @Test
  void caseListTableIsTheSeedsOpenCsvSerdeTableWithEveryColumnInFileOrder() {
    String table = ddl.substring(ddl.indexOf("support.case_list ("), ddl.indexOf("support.case_list_parquet"));
    assertThat(table).contains("org.apache.hadoop.hive.serde2.OpenCSVSerde").contains("'skip.header.line.count' = '1'")
        .contains("LOCATION 's3://my-bucket/cf/case_list/latest/'");
    int previous = -1;
    for (var column : CaseListCsv.TABLE.columns()) {
      int at = table.indexOf("`" + column.sqlName() + "` string");
      assertThat(at).as(column.sqlName()).isGreaterThan(previous);
      previous = at;
    }
  }

  @Test
  void accountsTableReadsTheSinksAccountsFolderBeforeTheViewsThatJoinIt() {
    String table = ddl.substring(ddl.indexOf("support.accounts ("), ddl.indexOf("CREATE OR REPLACE VIEW"));
    assertThat(table).contains("STORED AS PARQUET").contains("LOCATION 's3://my-bucket/cf/accounts/'")
        .contains("`account_id` string").contains("`account_name` string").contains("`updated_at` timestamp");
    assertThat(ddl.indexOf("support.accounts (")).isLessThan(ddl.indexOf("VIEW support.case_counts AS"));
  }

  @Test
  void everyPivotViewIsCreatedAndStatementsSplitCleanly() {
    for (String view : PivotViews.selects("").keySet()) {
      assertThat(ddl).contains("CREATE OR REPLACE VIEW support." + view + " AS");
    }
    assertThat(AthenaDdl.statements(ddl)).hasSize(5 + PivotViews.selects("").size())
        .allSatisfy(s -> assertThat(s).doesNotStartWith("--").doesNotEndWith(";"));
  }
}
