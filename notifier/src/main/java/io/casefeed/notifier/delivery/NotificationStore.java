package io.casefeed.notifier.delivery;

import io.casefeed.schema.NotificationRecord;

/** Where intent and completion records go: the compacted notifications topic, durably, before returning. */
public interface NotificationStore {

  void write(NotificationRecord record);
}
