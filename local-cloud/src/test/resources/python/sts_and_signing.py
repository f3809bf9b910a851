"""boto3 against local-cloud's STS and SigV4 checks: what AWS refuses, and the presigned GetCallerIdentity.

argv[1]: a member account whose role the management user may assume. AWS_ACCESS_KEY_ID is the
management account's IAM user; AWS_ACCESS_KEY_ID + "-root" its root user.
"""
import datetime
import json
import os
import sys
import urllib.error
import urllib.request
from unittest import mock

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

endpoint = os.environ["LOCALCLOUD_AWS"]
member = sys.argv[1]
role = f"arn:aws:iam::{member}:role/GetSupportInfoRole"
# No retries, and no client-side validation: the server is what must refuse.
no_retries = Config(retries={"total_max_attempts": 1, "mode": "standard"}, parameter_validation=False)


def client(service, region="us-east-1", **keys):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, config=no_retries, **keys)


def outcome(call):
    try:
        reply = call()
        reply.pop("ResponseMetadata", None)
        return {"ok": json.loads(json.dumps(reply, default=str))}
    except ClientError as error:
        return {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "type": error.response["Error"].get("Type"), "message": error.response["Error"].get("Message")}


def http(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request) as reply:
            return {"status": reply.status, "body": reply.read().decode()}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": error.read().decode()}


def skewed(minutes, call):
    at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(minutes=minutes)
    class Shifted(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return at

    # botocore's signers (its own and the CRT ones) read datetime.datetime.utcnow(): shift their view only.
    shifted = mock.Mock(datetime=Shifted, timedelta=datetime.timedelta, timezone=datetime.timezone)
    with mock.patch("botocore.auth.datetime", shifted), mock.patch("botocore.crt.auth.datetime", shifted):
        return outcome(call)


sts = client("sts")
root = client("sts", aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"] + "-root",
              aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])
support = client("support")
assumed = sts.assume_role(RoleArn=role, RoleSessionName="probe")["Credentials"]
as_member = dict(aws_access_key_id=assumed["AccessKeyId"], aws_secret_access_key=assumed["SecretAccessKey"],
                 aws_session_token=assumed["SessionToken"])
# Signed for GET, as `aws eks get-token` does: botocore otherwise signs the operation's own method, POST.
presigned = client("sts", **as_member).generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
# Support signed as if for STS, by hand: boto3 always signs with the client's own service name.
wrong_service = AWSRequest(method="POST", url=endpoint + "/", data=b"{}",
                           headers={"Content-Type": "application/x-amz-json-1.1",
                                    "X-Amz-Target": "AWSSupport_20130415.DescribeServices"})
SigV4Auth(Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]), "sts", "us-east-1") \
    .add_auth(wrong_service)

report = {
    "managementIdentity": outcome(lambda: sts.get_caller_identity()),
    "rootIdentity": outcome(lambda: root.get_caller_identity()),
    "rootAssumeRole": outcome(lambda: root.assume_role(RoleArn=role, RoleSessionName="root")),
    "durationAboveMax": outcome(lambda: sts.assume_role(RoleArn=role, RoleSessionName="long", DurationSeconds=3601)),
    "durationAtMax": outcome(lambda: sts.assume_role(RoleArn=role, RoleSessionName="hour", DurationSeconds=3600)),
    "externalIdTooShort": outcome(lambda: sts.assume_role(RoleArn=role, RoleSessionName="xx", ExternalId="x")),
    "externalIdTooLong": outcome(lambda: sts.assume_role(RoleArn=role, RoleSessionName="xx", ExternalId="e" * 1225)),
    "externalIdOffPattern": outcome(lambda: sts.assume_role(RoleArn=role, RoleSessionName="xx", ExternalId="bad id!")),
    "externalIdLongest": outcome(lambda: sts.assume_role(RoleArn=role, RoleSessionName="xx",
                                                        ExternalId="a:b/c=d,e.f@g-h+" + "e" * 1208)),
    "presigned": http(presigned),
    "presignedTampered": http(presigned.replace("X-Amz-Expires=60", "X-Amz-Expires=61")),
    "stsSignedTwentyMinutesAhead": skewed(20, lambda: sts.get_caller_identity()),
    "stsSignedTenHoursBehind": skewed(-600, lambda: sts.get_caller_identity()),
    "supportSignedTwentyMinutesAhead": skewed(20, lambda: support.describe_services()),
    "supportSignedTenHoursBehind": skewed(-600, lambda: support.describe_services()),
    "supportSignedFourteenMinutesBehind": skewed(-14, lambda: support.describe_severity_levels()),
    "supportScopedToEuWest1": outcome(lambda: client("support", region="eu-west-1").describe_services()),
    "supportScopedToSts": http(wrong_service.url, data=wrong_service.body, headers=dict(wrong_service.headers)),
    "stsScopedToEuWest1": outcome(lambda: client("sts", region="eu-west-1").get_caller_identity()),
}
print(json.dumps(report))
