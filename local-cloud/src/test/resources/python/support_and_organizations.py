"""boto3 against local-cloud's Support and Organizations: reopening, attachments, issueType, language,
DescribeOrganization and InvalidInputException's Reason. argv[1]: a member account with a support plan and a role.
"""
import base64
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ["LOCALCLOUD_AWS"]
member = sys.argv[1]
# No retries, and no client-side validation: the server is what must refuse.
config = Config(retries={"total_max_attempts": 1, "mode": "standard"}, parameter_validation=False)


def client(service, **keys):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", config=config, **keys)


def outcome(call):
    try:
        reply = call()
        reply.pop("ResponseMetadata", None)
        return {"ok": json.loads(json.dumps(reply, default=lambda v: base64.b64encode(v).decode()
                                            if isinstance(v, bytes) else str(v)))}
    except ClientError as error:
        return {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "type": error.response["Error"].get("Type"), "message": error.response["Error"].get("Message"),
                "reason": error.response.get("Reason")}


assumed = client("sts").assume_role(RoleArn=f"arn:aws:iam::{member}:role/GetSupportInfoRole",
                                    RoleSessionName="probe")["Credentials"]
as_member = dict(aws_access_key_id=assumed["AccessKeyId"], aws_secret_access_key=assumed["SecretAccessKey"],
                 aws_session_token=assumed["SessionToken"])
support = client("support", **as_member)
organizations = client("organizations")

case_id = support.create_case(subject="probe", communicationBody="first", serviceCode="general-info",
                              categoryCode="other", severityCode="low", issueType="technical")["caseId"]
support.resolve_case(caseId=case_id)
report = {"resolvedStatus": support.describe_cases(caseIdList=[case_id], includeResolvedCases=True)["cases"][0]["status"]}
report["reply"] = outcome(lambda: support.add_communication_to_case(caseId=case_id, communicationBody="still broken"))
report["statusAfterReply"] = support.describe_cases(caseIdList=[case_id], includeResolvedCases=True)["cases"][0]["status"]
added = outcome(lambda: support.add_attachments_to_set(attachments=[{"fileName": "log.txt", "data": b"line 1\n"}]))
report["addAttachments"] = added
set_id = added.get("ok", {}).get("attachmentSetId", "none")
report["replyWithAttachments"] = outcome(lambda: support.add_communication_to_case(
    caseId=case_id, communicationBody="log attached", attachmentSetId=set_id))
report["unknownSetOnReply"] = outcome(lambda: support.add_communication_to_case(
    caseId=case_id, communicationBody="x", attachmentSetId="as-unknown"))
report["unknownSetOnAdd"] = outcome(lambda: support.add_attachments_to_set(
    attachmentSetId="as-unknown", attachments=[{"fileName": "a.txt", "data": b"a"}]))
report["unknownSetOnCreate"] = outcome(lambda: support.create_case(subject="s", communicationBody="b",
                                                                    attachmentSetId="as-unknown"))
report["fourAttachments"] = outcome(lambda: support.add_attachments_to_set(
    attachments=[{"fileName": f"{i}.txt", "data": b"x"} for i in range(4)]))
report["unknownAttachment"] = outcome(lambda: support.describe_attachment(attachmentId="attachment-unknown"))
report["invalidIssueType"] = outcome(lambda: support.create_case(subject="s", communicationBody="b",
                                                                  issueType="billing"))
report["servicesJa"] = outcome(lambda: support.describe_services(serviceCodeList=["general-info"], language="ja"))
report["servicesEn"] = outcome(lambda: support.describe_services(serviceCodeList=["general-info"], language="en"))
report["servicesBadLanguage"] = outcome(lambda: support.describe_services(language="fr"))
report["organizationManagement"] = outcome(lambda: organizations.describe_organization())
report["organizationMember"] = outcome(lambda: client("organizations", **as_member).describe_organization())
report["maxResultsTooHigh"] = outcome(lambda: organizations.list_accounts(MaxResults=21))
report["badNextToken"] = outcome(lambda: organizations.list_accounts(NextToken="%%%"))
print(json.dumps(report))
