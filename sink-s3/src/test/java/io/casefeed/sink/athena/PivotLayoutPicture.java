package io.casefeed.sink.athena;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the layout of the QuickSight dashboard that the analytics stack creates, as SVG, from
 * {@link PivotDashboard#definition} itself: the sheets, their filter controls and the fields in each
 * visual's wells. It is a picture of what the definition asks for, not a screenshot of AWS.
 * {@code PivotLayoutPictureTest} keeps docs/images/quicksight-layout.svg equal to what this draws.
 */
final class PivotLayoutPicture {

  static final Path FILE = Path.of("..", "docs", "images", "quicksight-layout.svg");
  private static final int WIDTH = 760;
  private static final int SHEET_HEIGHT = 250;

  private PivotLayoutPicture() {}

  static String svg() {
    Map<String, Object> definition = PivotDashboard.definition(Map.of());
    List<Map<String, Object>> sheets = list(definition.get("Sheets"));
    StringBuilder out = new StringBuilder();
    int height = sheets.size() * (SHEET_HEIGHT + 20) + 10;
    out.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
        WIDTH, height, WIDTH, height));
    out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    int top = 10;
    for (Map<String, Object> sheet : sheets) {
      sheet(out, sheet, top);
      top += SHEET_HEIGHT + 20;
    }
    return out.append("</svg>\n").toString();
  }

  private static void sheet(StringBuilder out, Map<String, Object> sheet, int top) {
    rect(out, 10, top, WIDTH - 20, SHEET_HEIGHT, "#f6f8fa", "#8c959f");
    text(out, 22, top + 22, "Sheet: " + sheet.get("Name"), "bold", 14);
    int y = top + 36;
    List<Map<String, Object>> controls = sheet.containsKey("FilterControls") ? list(sheet.get("FilterControls")) : List.of();
    int x = 22;
    for (Map<String, Object> control : controls) {
      Map<String, Object> dropdown = map(control.get("Dropdown"));
      rect(out, x, y, 150, 24, "#ffffff", "#57606a");
      text(out, x + 8, y + 16, dropdown.get("Title") + " (all) \u25BE", "normal", 12);
      x += 162;
    }
    int visualTop = controls.isEmpty() ? y : y + 36;
    for (Map<String, Object> visual : list(sheet.get("Visuals"))) {
      if (visual.containsKey("PivotTableVisual")) {
        pivot(out, map(visual.get("PivotTableVisual")), visualTop);
      } else if (visual.containsKey("LineChartVisual")) {
        line(out, map(visual.get("LineChartVisual")), visualTop, top + SHEET_HEIGHT - 14);
      }
    }
  }

  private static void pivot(StringBuilder out, Map<String, Object> visual, int top) {
    Map<String, Object> wells = map(map(map(visual.get("ChartConfiguration")).get("FieldWells")).get("PivotTableAggregatedFieldWells"));
    String rows = columnNames(wells.get("Rows"));
    String columns = columnNames(wells.get("Columns"));
    String values = columnNames(wells.get("Values"));
    List<String> header = List.of(rows + " \\ " + columns, columns + " 1", columns + " 2", "\u2026", "Total");
    List<String> firstColumn = List.of(rows + " 1", rows + " 2", "\u2026", "Total");
    int firstWidth = 180;
    int cellWidth = 120;
    int cellHeight = 26;
    int left = 22;
    for (int c = 0; c < header.size(); c++) {
      int x = c == 0 ? left : left + firstWidth + (c - 1) * cellWidth;
      rect(out, x, top, c == 0 ? firstWidth : cellWidth, cellHeight, "#d0e3ff", "#57606a");
      text(out, x + 6, top + 17, header.get(c), "bold", 12);
    }
    for (int r = 0; r < firstColumn.size(); r++) {
      int y = top + (r + 1) * cellHeight;
      for (int c = 0; c < header.size(); c++) {
        boolean label = c == 0;
        int x = label ? left : left + firstWidth + (c - 1) * cellWidth;
        rect(out, x, y, label ? firstWidth : cellWidth, cellHeight, label ? "#eaf2ff" : "#ffffff", "#8c959f");
        String cell = label ? firstColumn.get(r) : "\u2026".equals(header.get(c)) || "\u2026".equals(firstColumn.get(r)) ? "\u2026"
            : "sum(" + values + ")";
        text(out, x + 6, y + 17, cell, label ? "bold" : "normal", 12);
      }
    }
  }

  private static void line(StringBuilder out, Map<String, Object> visual, int top, int bottom) {
    Map<String, Object> wells = map(map(map(visual.get("ChartConfiguration")).get("FieldWells")).get("LineChartAggregatedFieldWells"));
    String category = columnNames(wells.get("Category"));
    String values = columnNames(wells.get("Values"));
    int left = 70;
    int right = WIDTH - 40;
    out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#57606a\"/>\n", left, bottom - 20, right, bottom - 20));
    out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#57606a\"/>\n", left, top, left, bottom - 20));
    int[] ys = {60, 90, 70, 110, 95, 130, 120, 100};
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < ys.length; i++) {
      points.append(left + 20 + i * (right - left - 40) / (ys.length - 1)).append(',').append(bottom - 20 - ys[i] * (bottom - 20 - top) / 150).append(' ');
    }
    out.append("<polyline fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"").append(points.toString().trim()).append("\"/>\n");
    text(out, right - 180, bottom - 4, category + " (per day)", "normal", 12);
    text(out, 22, top + 12, values, "normal", 12);
  }

  private static String columnNames(Object fields) {
    List<String> names = new ArrayList<>();
    for (Map<String, Object> field : list(fields)) {
      Map<String, Object> inner = map(field.values().iterator().next());
      names.add(String.valueOf(map(inner.get("Column")).get("ColumnName")));
    }
    return String.join(", ", names);
  }

  private static void rect(StringBuilder out, int x, int y, int w, int h, String fill, String stroke) {
    out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\" stroke=\"%s\"/>\n",
        x, y, w, h, fill, stroke));
  }

  private static void text(StringBuilder out, int x, int y, String text, String weight, int size) {
    out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"%s\" font-size=\"%d\">%s</text>\n",
        x, y, weight, size, text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  /** Rewrites the picture: run from sink-s3 (the test's working folder) after the dashboard definition changes. */
  public static void main(String[] args) throws IOException {
    Files.writeString(FILE, svg(), StandardCharsets.UTF_8);
  }
}
