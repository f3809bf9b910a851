package io.casefeed.schemas.table;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** A flat table: its columns and the Avro schema its Parquet files use. */
public final class Table<T> {

  private final String name;
  private final List<Column<T>> columns;
  private final Schema avroSchema;

  public Table(String name, String doc, List<Column<T>> columns) {
    this.name = name;
    this.columns = List.copyOf(columns);
    List<Schema.Field> fields = new ArrayList<>();
    for (Column<T> column : columns) {
      fields.add(new Schema.Field(column.sqlName(), column.type().nullableAvroSchema(), null, Schema.Field.NULL_DEFAULT_VALUE));
    }
    this.avroSchema = Schema.createRecord(name, doc, "io.casefeed.sink.parquet", false, fields);
  }

  public String name() {
    return name;
  }

  public List<Column<T>> columns() {
    return columns;
  }

  public Schema avroSchema() {
    return avroSchema;
  }

  public List<String> csvHeader() {
    return columns.stream().map(Column::csvName).toList();
  }

  public List<String> csvFields(T source) {
    List<String> fields = new ArrayList<>(columns.size());
    for (Column<T> column : columns) {
      fields.add(column.csvText(source));
    }
    return fields;
  }

  /** The row as an Avro record for Parquet: text exactly as it came, newlines included. */
  public GenericRecord toAvro(T source) {
    GenericData.Record record = new GenericData.Record(avroSchema);
    for (int i = 0; i < columns.size(); i++) {
      record.put(i, columns.get(i).valueOf(source));
    }
    return record;
  }

  /** A whole CSV file: the header, then one row per source record. */
  public String csv(Iterable<T> rows) {
    StringBuilder out = new StringBuilder(PythonCsv.row(csvHeader()));
    for (T row : rows) {
      out.append(PythonCsv.row(csvFields(row)));
    }
    return out.toString();
  }
}
