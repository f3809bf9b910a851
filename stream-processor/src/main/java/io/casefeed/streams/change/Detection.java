package io.casefeed.streams.change;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseState;
import java.util.List;

/**
 * What one observation did to a case: the change events, oldest first, and the new state; no
 * changes and the previous state when the observation told nothing new.
 */
public record Detection(List<CaseChange> changes, CaseState state) {

  public boolean changed() {
    return !changes.isEmpty();
  }
}
