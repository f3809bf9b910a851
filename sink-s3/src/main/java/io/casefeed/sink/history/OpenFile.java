package io.casefeed.sink.history;

import io.casefeed.sink.format.ChangeRow;
import java.util.ArrayList;
import java.util.List;

/** The records of one partition gathered for one object, all of the same UTC day. */
final class OpenFile {

  final String day;
  final long firstTimestamp;
  final List<ChangeRow> rows = new ArrayList<>();
  /** Clock millis of the last record appended: the idle flush measures from here. */
  long lastAppendMillis;

  OpenFile(String day, long firstTimestamp) {
    this.day = day;
    this.firstTimestamp = firstTimestamp;
  }

  void append(ChangeRow row, long nowMillis) {
    rows.add(row);
    lastAppendMillis = nowMillis;
  }

  long startOffset() {
    return rows.get(0).offset();
  }

  long endOffset() {
    return rows.get(rows.size() - 1).offset();
  }
}
