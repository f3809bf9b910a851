package io.casefeed.sink.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class PivotLayoutPictureTest {

  @Test
  void theCommittedPictureIsWhatTheDashboardDefinitionDraws() throws Exception {
    assertThat(Files.readString(PivotLayoutPicture.FILE, StandardCharsets.UTF_8))
        .as("docs/images/quicksight-layout.svg is stale: regenerate it with PivotLayoutPicture.main (working folder sink-s3)")
        .isEqualTo(PivotLayoutPicture.svg());
  }

  @Test
  void thePictureShowsTheSeedsPivotAndTheFiltersTheDefinitionNames() {
    String svg = PivotLayoutPicture.svg();
    assertThat(svg).contains("Sheet: Cases by account and status", "Sheet: Open cases over time",
        "account \\ status", "sum(cases)", "open_cases", "day (per day)");
    PivotDashboard.FILTERS.forEach(filter -> assertThat(svg).contains(filter + " (all)"));
  }
}
