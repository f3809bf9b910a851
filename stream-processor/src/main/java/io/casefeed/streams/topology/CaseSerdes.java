package io.casefeed.streams.topology;

import io.casefeed.schema.AccountRecord;
import io.casefeed.schema.CaseChange;
import io.casefeed.schema.CaseCount;
import io.casefeed.schema.CaseObservation;
import io.casefeed.schema.CaseState;
import io.casefeed.schema.SweepRecord;
import io.casefeed.schemas.registry.SchemaRegistryClient;
import io.casefeed.schemas.serde.AvroSerde;

/**
 * The value serdes of the topology. Output topics register their schemas only when
 * {@code autoRegister} says so; the app's internal topics (changelogs, repartitions) always do,
 * since nobody else manages their subjects.
 */
public record CaseSerdes(
    AvroSerde<CaseObservation> observation,
    AvroSerde<AccountRecord> account,
    AvroSerde<SweepRecord> sweep,
    AvroSerde<CaseChange> change,
    AvroSerde<CaseState> state,
    AvroSerde<CaseCount> count,
    AvroSerde<CaseChange> internalChange,
    AvroSerde<CaseState> internalState,
    AvroSerde<AccountRecord> internalAccount,
    AvroSerde<SweepRecord> internalSweep) {

  public static CaseSerdes of(SchemaRegistryClient registry, boolean autoRegister) {
    return new CaseSerdes(
        new AvroSerde<>(CaseObservation.class, registry, autoRegister, false),
        new AvroSerde<>(AccountRecord.class, registry, autoRegister, false),
        new AvroSerde<>(SweepRecord.class, registry, autoRegister, false),
        new AvroSerde<>(CaseChange.class, registry, autoRegister, false),
        new AvroSerde<>(CaseState.class, registry, autoRegister, false),
        new AvroSerde<>(CaseCount.class, registry, autoRegister, false),
        new AvroSerde<>(CaseChange.class, registry),
        new AvroSerde<>(CaseState.class, registry),
        new AvroSerde<>(AccountRecord.class, registry),
        new AvroSerde<>(SweepRecord.class, registry));
  }
}
