"""Runs a boto3 program against local-cloud by changing nothing but the endpoint URLs.

boto3 1.26 predates AWS_ENDPOINT_URL_<SERVICE>, so this wraps boto3's client factory to add
endpoint_url (and path-style addressing for S3) from the environment, then runs the target.
Usage: with_endpoints.py <module path> <function> ; prints the function's result as JSON.
"""
import importlib.util
import json
import os
import sys

import boto3
import boto3.session
from botocore.config import Config

AWS = os.environ["LOCALCLOUD_AWS"]
S3 = os.environ["LOCALCLOUD_S3"]
original = boto3.session.Session.client


def client(self, service_name, *args, **kwargs):
    if service_name == "s3":
        kwargs.setdefault("endpoint_url", S3)
        kwargs.setdefault("config", Config(s3={"addressing_style": "path"}))
    else:
        kwargs.setdefault("endpoint_url", AWS)
    return original(self, service_name, *args, **kwargs)


boto3.session.Session.client = client
boto3.DEFAULT_SESSION = None

spec = importlib.util.spec_from_file_location("target", sys.argv[1])
target = importlib.util.module_from_spec(spec)
spec.loader.exec_module(target)
print(json.dumps(getattr(target, sys.argv[2])({}, None)))
