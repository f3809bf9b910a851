"""boto3 against local-cloud's SQS: receive up to 10 messages from the queue (argv[1]), long polling, and delete them."""
import json
import os
import sys

import boto3

sqs = boto3.client("sqs", endpoint_url=os.environ["LOCALCLOUD_SQS"], region_name="us-east-1")
received = sqs.receive_message(QueueUrl=sys.argv[1], MaxNumberOfMessages=10, WaitTimeSeconds=20,
                               AttributeNames=["All"])
messages = received.get("Messages", [])
for message in messages:
    sqs.delete_message(QueueUrl=sys.argv[1], ReceiptHandle=message["ReceiptHandle"])
attributes = sqs.get_queue_attributes(QueueUrl=sys.argv[1], AttributeNames=["ApproximateNumberOfMessages"])
print(json.dumps({"bodies": [m["Body"] for m in messages],
                  "left": attributes["Attributes"]["ApproximateNumberOfMessages"]}))
