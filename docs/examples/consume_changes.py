#!/usr/bin/env python3
"""Subscribes to casefeed's change feed from Python: confluent-kafka for Kafka, Confluent's
SchemaRegistryClient for the writer schemas, and the Apache Avro library to decode.

Usage: consume_changes.py <bootstrap servers> <schema registry url> [topic] [max events]
Prints one line per change event; stops after <max events> (0 = follow until Ctrl-C).
"""
import io
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient

bootstrap = sys.argv[1]
registry_url = sys.argv[2]
topic = sys.argv[3] if len(sys.argv) > 3 else "casefeed.case-changes"
max_events = int(sys.argv[4]) if len(sys.argv) > 4 else 0

registry = SchemaRegistryClient({"url": registry_url})
readers = {}


def decode(value):
    """Confluent's framing: magic byte 0, 4-byte big-endian schema id, then Avro binary."""
    magic, schema_id = struct.unpack(">bI", value[:5])
    if magic != 0:
        raise ValueError("not schema-registry framed (magic byte %d)" % magic)
    if schema_id not in readers:
        schema = avro.schema.parse(registry.get_schema(schema_id).schema_str)
        readers[schema_id] = avro.io.DatumReader(schema)
    return readers[schema_id].read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": "python-change-feed-example",
    "auto.offset.reset": "earliest",
    # casefeed writes the change feed in transactions: never read what was aborted.
    "isolation.level": "read_committed",
})
consumer.subscribe([topic])
seen = 0
idle_polls = 0
try:
    while max_events == 0 or seen < max_events:
        message = consumer.poll(1.0)
        if message is None:
            idle_polls += 1
            if max_events and idle_polls > 120:
                sys.exit("no change events within 120 s")
            continue
        if message.error():
            print("error: %s" % message.error(), file=sys.stderr)
            continue
        change = decode(message.value())
        current = change["current"]
        print("%s %s #%s %s v%d %s [%s %s] backfill=%s" % (
            change["observedAt"].isoformat(), change["accountId"], current["displayId"], change["changeType"],
            change["version"], current["status"], current["severityCode"], current["serviceCode"], change["backfill"]))
        sys.stdout.flush()
        seen += 1
finally:
    consumer.close()
