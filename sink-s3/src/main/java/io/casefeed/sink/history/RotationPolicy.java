package io.casefeed.sink.history;

import java.time.Duration;

/** When an open object is closed and written. */
public record RotationPolicy(int maxRecords, Duration maxSpan, Duration idleFlush) {

  /** Whether the record must go to a new object: another UTC day, or too far in record time. */
  boolean closesBefore(OpenFile file, String recordDay, long recordTimestamp) {
    return !file.day.equals(recordDay) || recordTimestamp - file.firstTimestamp >= maxSpan.toMillis();
  }

  boolean full(OpenFile file) {
    return file.rows.size() >= maxRecords;
  }

  boolean idle(OpenFile file, long nowMillis) {
    return nowMillis - file.lastAppendMillis >= idleFlush.toMillis();
  }
}
