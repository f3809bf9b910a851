"""boto3 against local-cloud's SNS: create a FIFO topic, publish one message twice (same deduplication id)
and a batch of two to it, publish to an unknown topic, and print what came back as JSON."""
import json
import os

import boto3
from botocore.exceptions import ClientError

sns = boto3.client("sns", endpoint_url=os.environ["LOCALCLOUD_AWS"], region_name="eu-west-1")
arn = sns.create_topic(Name="boto3-alerts.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
attributes = {"severity": {"DataType": "String", "StringValue": "urgent"},
              "account": {"DataType": "String", "StringValue": "123456789012"}}
first = sns.publish(TopicArn=arn, Message="from boto3", Subject="boto3", MessageAttributes=attributes,
                    MessageGroupId="case-1", MessageDeduplicationId="dedup-1")
again = sns.publish(TopicArn=arn, Message="from boto3", Subject="boto3", MessageAttributes=attributes,
                    MessageGroupId="case-1", MessageDeduplicationId="dedup-1")
batch = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
    {"Id": "a", "Message": "batch a", "MessageGroupId": "case-2", "MessageDeduplicationId": "dedup-a"},
    {"Id": "b", "Message": "batch b", "MessageGroupId": "case-2", "MessageDeduplicationId": "dedup-b"}])
try:
    sns.publish(TopicArn=arn.replace("boto3-alerts", "nobody"), Message="lost", MessageGroupId="g",
                MessageDeduplicationId="d")
    missing = "accepted"
except ClientError as e:
    missing = e.response["Error"]["Code"]
topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
print(json.dumps({"arn": arn, "first": first["MessageId"], "again": again["MessageId"],
                  "sequence": first.get("SequenceNumber"),
                  "batch": sorted(s["Id"] for s in batch["Successful"]), "failed": len(batch["Failed"]),
                  "missing": missing, "topics": topics}))
