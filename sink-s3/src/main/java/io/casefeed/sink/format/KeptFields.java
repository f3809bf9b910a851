package io.casefeed.sink.format;

import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseDetails;
import io.casefeed.schema.CaseState;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * What the sink keeps of a record between reading it and writing its table row: every column of
 * the case list and the change history, nothing else. The recent communications (up to five bodies
 * of a few KB each) and cc addresses are no column, and the few values that repeat across 100,000
 * cases (status, severity, service, category, language, account, change type) are kept once each.
 * With whole records the sink's snapshot map and open history files filled a 384 MB heap at 1,000
 * accounts (docs/deploy.md, runs 4 and 5).
 */
public final class KeptFields {

  /** Room for every account of a large organisation and every service, category and status value. */
  static final int MAX_SHARED = 1 << 16;
  private static final ConcurrentHashMap<String, String> SHARED = new ConcurrentHashMap<>();

  private KeptFields() {
  }

  /** The state without communications and cc addresses; the record read is not changed. */
  public static CaseState of(CaseState state) {
    if (state == null) {
      return null;
    }
    CaseState kept = shallowCopy(state, new CaseState());
    kept.setAccountId(shared(state.getAccountId()));
    kept.setLastChangeType(shared(state.getLastChangeType()));
    kept.setCaseDetails(of(state.getCaseDetails()));
    return kept;
  }

  /** The change with its previous and current details kept as {@link #of(CaseDetails)} keeps them. */
  public static CaseChange of(CaseChange change) {
    if (change == null) {
      return null;
    }
    CaseChange kept = shallowCopy(change, new CaseChange());
    kept.setAccountId(shared(change.getAccountId()));
    kept.setChangeType(shared(change.getChangeType()));
    kept.setChangedFields(change.getChangedFields().stream().map(KeptFields::shared).toList());
    kept.setPrevious(of(change.getPrevious()));
    kept.setCurrent(of(change.getCurrent()));
    return kept;
  }

  /**
   * Every field of {@code record} put into {@code empty} as it is, by position: not Avro's builder,
   * which deep-copies each field it is given, the communications about to be dropped included. That
   * copy cost the sink about a tenth of its throughput (bench sink). A field added to the schema is
   * copied too.
   */
  private static <T extends SpecificRecordBase> T shallowCopy(T record, T empty) {
    int fields = record.getSchema().getFields().size();
    for (int i = 0; i < fields; i++) {
      empty.put(i, record.get(i));
    }
    return empty;
  }

  static CaseDetails of(CaseDetails details) {
    if (details == null) {
      return null;
    }
    // Built from a copy without the communications first: the builder deep-copies every field it is given.
    CaseDetails bare = new CaseDetails(details.getAccountId(), details.getCaseId(), details.getDisplayId(), details.getSubject(),
        details.getStatus(), details.getServiceCode(), details.getCategoryCode(), details.getSeverityCode(), details.getSubmittedBy(),
        details.getTimeCreated(), details.getTimeCreatedAt(), List.of(), details.getLanguage(), List.of(), null);
    bare.setAccountId(shared(bare.getAccountId()));
    bare.setStatus(shared(bare.getStatus()));
    bare.setServiceCode(shared(bare.getServiceCode()));
    bare.setCategoryCode(shared(bare.getCategoryCode()));
    bare.setSeverityCode(shared(bare.getSeverityCode()));
    bare.setLanguage(shared(bare.getLanguage()));
    return bare;
  }

  /**
   * One instance per distinct value: these take a handful of values (a few per AWS service, one per
   * account), kept in a map of their own rather than by {@link String#intern()}: a change makes 16
   * such lookups, and the JVM's native string table is a slower place for them than a hash map. The
   * map stops growing at {@value #MAX_SHARED} values; past that a value is kept as read.
   */
  private static String shared(String value) {
    if (value == null) {
      return null;
    }
    String known = SHARED.get(value);
    if (known != null) {
      return known;
    }
    if (SHARED.size() >= MAX_SHARED) {
      return value;
    }
    String raced = SHARED.putIfAbsent(value, value);
    return raced == null ? value : raced;
  }
}
