"""boto3 against local-cloud: AssumeRole into a member account, then every case it has (all pages)."""
import json
import os
import sys

import boto3

endpoint = os.environ["LOCALCLOUD_AWS"]
account_id = sys.argv[1]
sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
assumed = sts.assume_role(RoleArn=f"arn:aws:iam::{account_id}:role/GetSupportInfoRole", RoleSessionName="boto3")
credentials = assumed["Credentials"]
support = boto3.client("support", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id=credentials["AccessKeyId"],
                       aws_secret_access_key=credentials["SecretAccessKey"],
                       aws_session_token=credentials["SessionToken"])
identity = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"]).get_caller_identity()
cases = []
pages = 0
for page in support.get_paginator("describe_cases").paginate(includeResolvedCases=True,
                                                            PaginationConfig={"PageSize": 10}):
    pages += 1
    cases.extend(page["cases"])
try:
    support.describe_cases(nextToken="not-a-token")
    validation = "none"
except support.exceptions.ClientError as error:
    validation = error.response["Error"]["Code"]
print(json.dumps({"account": identity["Account"], "pages": pages, "validation": validation,
                  "expiration": assumed["Credentials"]["Expiration"].isoformat(), "cases": cases}))
