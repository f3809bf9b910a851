"""Confluent's own Python SchemaRegistryClient against local-cloud's registry, and python3-avro
decoding a record a Java producer framed in the Confluent wire format."""
import io
import json
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

url, framed_file = sys.argv[1], sys.argv[2]
client = SchemaRegistryClient({"url": url})

probe = '{"type":"record","name":"Probe","namespace":"python","fields":[{"name":"n","type":"int"}]}'
probe_id = client.register_schema("python-probe-value", Schema(probe, "AVRO"))
fetched = client.get_schema(probe_id)
latest = client.get_latest_version("python-probe-value")
looked_up = client.lookup_schema("python-probe-value", Schema(probe, "AVRO"))

with open(framed_file, "rb") as f:
    framed = f.read()
magic, schema_id = struct.unpack(">bI", framed[:5])
writer_schema = avro.schema.parse(client.get_schema(schema_id).schema_str)
record = avro.io.DatumReader(writer_schema).read(avro.io.BinaryDecoder(io.BytesIO(framed[5:])))
print(json.dumps({
    "probeId": probe_id,
    "probeSchemaRoundTrips": json.loads(fetched.schema_str) == json.loads(probe),
    "latestVersion": latest.version,
    "lookedUpId": looked_up.schema_id,
    "subjects": client.get_subjects(),
    "magic": magic,
    "schemaId": schema_id,
    "record": record,
}, default=str))
