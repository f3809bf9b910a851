"""Produces and consumes through a casefeed broker with librdkafka (Debian python3-confluent-kafka),
a client casefeed did not write. Usage: kafka_roundtrip.py <bootstrap> <topic> <value>; prints the
values it read back and the broker's topic names."""
import sys
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient

bootstrap, topic, value = sys.argv[1], sys.argv[2], sys.argv[3]

producer = Producer({"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True})
producer.produce(topic, key=b"123456789012:case-python", value=value.encode("utf-8"))
if producer.flush(30) != 0:
    sys.exit("produce did not complete")

consumer = Consumer({
    "bootstrap.servers": bootstrap,
    "group.id": "python-roundtrip-" + value,
    "auto.offset.reset": "earliest",
    "isolation.level": "read_committed",
})
consumer.subscribe([topic])
seen = []
for _ in range(60):
    message = consumer.poll(1.0)
    if message is None or message.error():
        if seen:
            break
        continue
    seen.append(message.value().decode("utf-8"))
consumer.close()
for v in seen:
    print("read: " + v)
for name in sorted(AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=30).topics):
    print("topic: " + name)
