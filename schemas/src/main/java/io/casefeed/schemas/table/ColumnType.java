package io.casefeed.schemas.table;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** The types a column can have, with their Avro (Parquet) and SQL spellings. */
public enum ColumnType {
  STRING("string", "VARCHAR"),
  LONG("bigint", "BIGINT"),
  INT("int", "INTEGER"),
  BOOLEAN("boolean", "BOOLEAN"),
  /** Epoch milliseconds in UTC. */
  TIMESTAMP("timestamp", "TIMESTAMP");

  private final String athenaType;
  private final String duckDbType;

  ColumnType(String athenaType, String duckDbType) {
    this.athenaType = athenaType;
    this.duckDbType = duckDbType;
  }

  public String athenaType() {
    return athenaType;
  }

  public String duckDbType() {
    return duckDbType;
  }

  /** The nullable Avro schema of a value of this type. */
  public Schema nullableAvroSchema() {
    Schema base = switch (this) {
      case STRING -> Schema.create(Schema.Type.STRING);
      case LONG -> Schema.create(Schema.Type.LONG);
      case INT -> Schema.create(Schema.Type.INT);
      case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
      case TIMESTAMP -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    };
    return Schema.createUnion(Schema.create(Schema.Type.NULL), base);
  }
}
