package io.casefeed.sink.athena;

import static io.casefeed.sink.athena.AnalyticsTemplate.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The QuickSight analysis and dashboard definition: sheet 1 is the seed's pivot (rows the account,
 * "name (id)", columns
 * status, values the count of cases, filters severity, service and language) over {@code case_counts};
 * sheet 2 is the open cases over time from {@code open_cases_by_day}.
 */
public final class PivotDashboard {

  public static final List<String> FILTERS = List.of("severity", "service", "language");

  private PivotDashboard() {}

  /** @param dataSetArns view name to the (CloudFormation) value of its dataset's ARN */
  public static Map<String, Object> definition(Map<String, Object> dataSetArns) {
    String pivot = AnalyticsTemplate.PIVOT_VIEW;
    String open = AnalyticsTemplate.OPEN_VIEW;
    List<Object> controls = new ArrayList<>();
    List<Object> filterGroups = new ArrayList<>();
    for (String filter : FILTERS) {
      filterGroups.add(map(
          "FilterGroupId", "filter-" + filter,
          "CrossDataset", "SINGLE_DATASET",
          "Status", "ENABLED",
          "Filters", List.of(map("CategoryFilter", map(
              "FilterId", "filter-" + filter,
              "Column", column(pivot, filter),
              "Configuration", map("FilterListConfiguration", map(
                  "MatchOperator", "CONTAINS", "SelectAllOptions", "FILTER_ALL_VALUES"))))),
          "ScopeConfiguration", map("SelectedSheets", map("SheetVisualScopingConfigurations", List.of(
              map("SheetId", "pivot", "Scope", "ALL_VISUALS"))))));
      controls.add(map("Dropdown", map(
          "FilterControlId", "control-" + filter,
          "Title", filter,
          "SourceFilterId", "filter-" + filter,
          "Type", "MULTI_SELECT")));
    }
    Map<String, Object> pivotTable = map("PivotTableVisual", map(
        "VisualId", "pivot",
        "Title", title("Cases by account and status"),
        "ChartConfiguration", map(
            "FieldWells", map("PivotTableAggregatedFieldWells", map(
                "Rows", List.of(dimension(pivot, "account")),
                "Columns", List.of(dimension(pivot, "status")),
                "Values", List.of(measure(pivot, "cases")))),
            "TotalOptions", map(
                "RowTotalOptions", map("TotalsVisibility", "VISIBLE"),
                "ColumnTotalOptions", map("TotalsVisibility", "VISIBLE")))));
    Map<String, Object> line = map("LineChartVisual", map(
        "VisualId", "open-cases",
        "Title", title("Open cases over time"),
        "ChartConfiguration", map("FieldWells", map("LineChartAggregatedFieldWells", map(
            "Category", List.of(map("DateDimensionField", map(
                "FieldId", open + ".day", "Column", column(open, "day"), "DateGranularity", "DAY"))),
            "Values", List.of(measure(open, "open_cases")))))));
    return map(
        "DataSetIdentifierDeclarations", List.of(
            map("Identifier", pivot, "DataSetArn", dataSetArns.get(pivot)),
            map("Identifier", open, "DataSetArn", dataSetArns.get(open))),
        "Sheets", List.of(
            map("SheetId", "pivot", "Name", "Cases by account and status", "Visuals", List.of(pivotTable),
                "FilterControls", controls),
            map("SheetId", "open-over-time", "Name", "Open cases over time", "Visuals", List.of(line))),
        "FilterGroups", filterGroups);
  }

  private static Map<String, Object> title(String text) {
    return map("Visibility", "VISIBLE", "FormatText", map("PlainText", text));
  }

  private static Map<String, Object> column(String dataSet, String name) {
    return map("DataSetIdentifier", dataSet, "ColumnName", name);
  }

  private static Map<String, Object> dimension(String dataSet, String name) {
    return map("CategoricalDimensionField", map("FieldId", dataSet + "." + name, "Column", column(dataSet, name)));
  }

  private static Map<String, Object> measure(String dataSet, String name) {
    return map("NumericalMeasureField", map("FieldId", dataSet + "." + name, "Column", column(dataSet, name),
        "AggregationFunction", map("SimpleNumericalAggregation", "SUM")));
  }
}
