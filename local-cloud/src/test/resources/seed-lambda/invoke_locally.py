"""Invokes the seed's lambda_function.lambda_handler as its scheduled rule would, against local-cloud.

Only the endpoints change: Debian's boto3 (1.26) predates AWS_ENDPOINT_URL_<SERVICE>, so boto3's
client factory gets endpoint_url from LOCALCLOUD_AWS (STS, Support, SES) and LOCALCLOUD_S3 (S3,
path-style). Two things the Lambda runtime provides are provided here: the clock in UTC (Lambda sets
TZ=:UTC, and the seed's afterTime is local time without a zone), and a /tmp of its own, which the
seed writes case_list.csv into: on a shared machine an exclusive lock stands in for that, so two runs
never interleave their files. An exception leaves as Lambda reports it: a traceback and a failed run.
Usage: invoke_locally.py <path of lambda_function.py>
"""
import fcntl
import importlib.util
import os
import sys
import time

import boto3
import boto3.session
from botocore.config import Config

AWS = os.environ["LOCALCLOUD_AWS"]
S3 = os.environ["LOCALCLOUD_S3"]
original_client = boto3.session.Session.client


def client_at_local_cloud(self, service_name, *args, **kwargs):
    if service_name == "s3":
        kwargs.setdefault("endpoint_url", S3)
        kwargs.setdefault("config", Config(s3={"addressing_style": "path"}))
    else:
        kwargs.setdefault("endpoint_url", AWS)
    return original_client(self, service_name, *args, **kwargs)


boto3.session.Session.client = client_at_local_cloud
boto3.DEFAULT_SESSION = None
os.environ["TZ"] = ":UTC"
time.tzset()

spec = importlib.util.spec_from_file_location("lambda_function", sys.argv[1])
lambda_function = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lambda_function)
with open("/tmp/case_list.csv.lock", "w") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    lambda_function.lambda_handler({"source": "aws.events", "detail-type": "Scheduled Event"}, None)
