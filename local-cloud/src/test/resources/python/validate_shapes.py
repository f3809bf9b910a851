"""Calls every local-cloud operation with boto3 and checks each raw reply against the official
service model shipped in Debian's python3-botocore (botocore/data/<service>/<version>/service-2.json):
every member is known to the model, required members are present, types and enums match.
Error replies must carry a code the operation's model lists, or one of AWS's common errors.
Prints a JSON report: the operations checked and every violation found."""
import base64
import json
import os
import sys
import xml.etree.ElementTree as ET

import boto3
import botocore.session

ENDPOINT = os.environ["LOCALCLOUD_AWS"]
MEMBER = sys.argv[1]
COMMON_ERRORS = {"ThrottlingException", "Throttling", "ValidationException", "ValidationError", "InternalFailure",
                 "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
                 "MissingAuthenticationToken", "MissingAuthenticationTokenException", "InvalidSignatureException",
                 "SignatureDoesNotMatch", "SerializationException", "UnknownOperationException", "InvalidAction",
                 "AccessDenied", "AccessDeniedException", "TooManyRequestsException"}

checked, violations = [], []
session = botocore.session.get_session()


def check(value, shape, path):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            violations.append(f"{path}: expected an object, got {type(value).__name__}")
            return
        by_wire = {member.serialization.get("name", name): member for name, member in shape.members.items()}
        for key, item in value.items():
            if key not in by_wire:
                violations.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                check(item, by_wire[key], f"{path}.{key}")
        for required in shape.required_members:
            wire = shape.members[required].serialization.get("name", required)
            if wire not in value:
                violations.append(f"{path}.{wire}: required by {shape.name} but missing")
    elif kind == "list":
        if not isinstance(value, list):
            violations.append(f"{path}: expected a list")
            return
        for index, item in enumerate(value):
            check(item, shape.member, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            violations.append(f"{path}: expected a map")
            return
        for key, item in value.items():
            check(item, shape.value, f"{path}[{key}]")
    elif kind == "string":
        if not isinstance(value, str):
            violations.append(f"{path}: expected a string, got {value!r}")
        elif shape.enum and value not in shape.enum:
            violations.append(f"{path}: {value!r} not in enum {shape.enum}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            violations.append(f"{path}: expected an integer, got {value!r}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            violations.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            violations.append(f"{path}: expected a boolean, got {value!r}")
    elif kind == "timestamp":
        if not isinstance(value, (int, float, str)):
            violations.append(f"{path}: expected a timestamp, got {value!r}")


def xml_to_value(element, shape):
    """The XML element as the JSON-like value its shape describes (query protocol)."""
    kind = shape.type_name
    if kind == "structure":
        return {child.tag.split("}")[-1]: xml_to_value(child, shape.members.get(child.tag.split("}")[-1], shape))
                if child.tag.split("}")[-1] in shape.members else child.text for child in element}
    if kind == "list":
        return [xml_to_value(child, shape.member) for child in element]
    if kind in ("integer", "long"):
        return int(element.text)
    if kind == "boolean":
        return element.text == "true"
    return element.text or ""


def on_reply(http_response, model, **kwargs):
    service = model.service_model
    operation = f"{service.service_name}.{model.name}"
    checked.append(operation)
    body = http_response.content
    protocol = service.protocol
    if http_response.status_code >= 300:
        code = http_response.headers.get("x-amzn-ErrorType", "").split(":")[0]
        if protocol == "query":
            code = ET.fromstring(body).find(".//{*}Code").text
        known = {shape.name for shape in model.error_shapes} | COMMON_ERRORS
        if code not in known:
            violations.append(f"{operation}: error code {code} is neither in the model nor a common error")
        return
    if model.output_shape is None:
        return
    if protocol == "query":
        root = ET.fromstring(body)
        result = root.find(f"{{*}}{model.name}Result")
        if not root.tag.endswith(f"{model.name}Response") or result is None:
            violations.append(f"{operation}: XML root is {root.tag}, not {model.name}Response/{model.name}Result")
            return
        check(xml_to_value(result, model.output_shape), model.output_shape, operation)
    else:
        check(json.loads(body) if body else {}, model.output_shape, operation)


def client(service, **credentials):
    created = boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1", **credentials)
    created.meta.events.register("after-call.*.*", on_reply)
    return created


sts = client("sts")
assumed = sts.assume_role(RoleArn=f"arn:aws:iam::{MEMBER}:role/GetSupportInfoRole", RoleSessionName="shapes")["Credentials"]
member = {"aws_access_key_id": assumed["AccessKeyId"], "aws_secret_access_key": assumed["SecretAccessKey"],
          "aws_session_token": assumed["SessionToken"]}
client("sts", **member).get_caller_identity()
client("organizations").list_accounts(MaxResults=5)

support = client("support", **member)
cases = support.describe_cases(includeResolvedCases=True, maxResults=10)["cases"]
support.describe_cases(language="ja")
case_id = support.create_case(subject="shapes", communicationBody="checking shapes", serviceCode="aws-lambda",
                              severityCode="low", ccEmailAddresses=["cc@example.com"])["caseId"]
support.add_communication_to_case(caseId=case_id, communicationBody="more")
support.describe_communications(caseId=cases[0]["caseId"], maxResults=10)
support.resolve_case(caseId=case_id)
support.describe_services(serviceCodeList=["aws-lambda"])
support.describe_severity_levels()
for bad in (lambda: support.describe_cases(caseIdList=["case-000000000000-2024-0000000000000000"]),
            lambda: support.describe_cases(nextToken="not-a-token")):
    try:
        bad()
    except support.exceptions.ClientError:
        pass

client("sesv2").send_email(FromEmailAddress="casefeed@example.com", Destination={"ToAddresses": ["ops@example.com"]},
                           Content={"Simple": {"Subject": {"Data": "shapes"}, "Body": {"Text": {"Data": "shapes"}}}})
ses = client("ses")
ses.send_email(Source="casefeed@example.com", Destination={"ToAddresses": ["ops@example.com"]},
               Message={"Subject": {"Data": "shapes"}, "Body": {"Text": {"Data": "shapes"}}})
ses.send_raw_email(RawMessage={"Data": b"From: a@example.com\r\nTo: b@example.com\r\nSubject: raw\r\n\r\nbody\r\n"})
try:
    client("sts").assume_role(RoleArn="arn:aws:iam::000000000000:role/GetSupportInfoRole", RoleSessionName="denied")
except Exception:
    pass

print(json.dumps({"checked": sorted(set(checked)), "violations": violations}))
