"""boto3 against local-cloud's SES v1 and v2: what SES refuses, and the read operations it serves.

LOCALCLOUD_AWS is a cloud out of the sandbox, LOCALCLOUD_SANDBOX one in it; both verify example.com only.
Prints one JSON object: each probe's outcome as {"code", "status", "type", "message"} or {"ok": ...}.
"""
import json
import os

import boto3
from botocore.exceptions import ClientError


def client(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1")


def outcome(call):
    try:
        reply = call()
        reply.pop("ResponseMetadata", None)
        return {"ok": json.loads(json.dumps(reply, default=str))}
    except ClientError as error:
        return {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "type": error.response["Error"].get("Type"), "message": error.response["Error"].get("Message")}


def v1_send(ses, source, to):
    return lambda: ses.send_email(Source=source, Destination={"ToAddresses": to},
                                  Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})


def v2_send(sesv2, source, to):
    return lambda: sesv2.send_email(FromEmailAddress=source, Destination={"ToAddresses": to},
                                    Content={"Simple": {"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}}})


production = os.environ["LOCALCLOUD_AWS"]
sandbox = os.environ["LOCALCLOUD_SANDBOX"]
ses, sesv2 = client("ses", production), client("sesv2", production)
box, boxv2 = client("ses", sandbox), client("sesv2", sandbox)
many = [f"r{i}@example.com" for i in range(51)]
big = b"From: casefeed@example.com\r\nTo: ops@example.com\r\nSubject: big\r\n\r\n" + b"x" * (8 * 1024 * 1024)
report = {
    "unverifiedSenderV1": outcome(v1_send(ses, "intruder@example.org", ["ops@example.com"])),
    "unverifiedSenderV2": outcome(v2_send(sesv2, "intruder@example.org", ["ops@example.com"])),
    "notAnEmailV1": outcome(v1_send(ses, "casefeed@example.com", ["not-an-email"])),
    "bareAtV1": outcome(v1_send(ses, "casefeed@example.com", ["a@"])),
    "notAnEmailV2": outcome(v2_send(sesv2, "casefeed@example.com", ["not-an-email"])),
    "malformedSenderV2": outcome(v2_send(sesv2, "a@", ["ops@example.com"])),
    "fiftyOneV1": outcome(v1_send(ses, "casefeed@example.com", many)),
    "fiftyOneV2": outcome(v2_send(sesv2, "casefeed@example.com", many)),
    "fiftyV1": outcome(v1_send(ses, "casefeed@example.com", many[:50])),
    "rawOverTenMegabytes": outcome(lambda: ses.send_raw_email(RawMessage={"Data": big})),
    "quotaV1": outcome(lambda: ses.get_send_quota()),
    "verify": outcome(lambda: ses.verify_email_identity(EmailAddress="newcomer@example.org")),
    "verifiedSenderNowSends": outcome(v1_send(ses, "newcomer@example.org", ["ops@example.com"])),
    "listIdentities": outcome(lambda: ses.list_identities()),
    "listEmailIdentities": outcome(lambda: ses.list_identities(IdentityType="EmailAddress")),
    "accountV2": outcome(lambda: sesv2.get_account()),
    "identityV2": outcome(lambda: sesv2.get_email_identity(EmailIdentity="newcomer@example.org")),
    "unknownIdentityV2": outcome(lambda: sesv2.get_email_identity(EmailIdentity="nobody@example.net")),
    "sandboxAccountV2": outcome(lambda: boxv2.get_account()),
    "sandboxQuotaV1": outcome(lambda: box.get_send_quota()),
    "sandboxSimulatorV1": outcome(v1_send(box, "casefeed@example.com",
                                          ["success@simulator.amazonses.com", "bounce+label@simulator.amazonses.com"])),
    "sandboxSimulatorV2": outcome(v2_send(boxv2, "casefeed@example.com",
                                          ["ooto@simulator.amazonses.com", "complaint@simulator.amazonses.com",
                                           "suppressionlist@simulator.amazonses.com"])),
    "sandboxStrangerV2": outcome(v2_send(boxv2, "casefeed@example.com", ["stranger@elsewhere.example"])),
    "sandboxLookalikeV1": outcome(v1_send(box, "casefeed@example.com", ["someone@simulator.amazonses.com"])),
}
print(json.dumps(report))
