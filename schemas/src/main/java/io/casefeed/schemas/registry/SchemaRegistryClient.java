package io.casefeed.schemas.registry;

import org.apache.avro.Schema;

/** The part of the Confluent Schema Registry API that a serializer and a deserializer use. */
public interface SchemaRegistryClient {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} already registered under {@code subject}. */
  int lookup(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);
}
