"""The seed's scheduled Lambda: every AWS Support case of every member account, as case_list.csv.

Reads the member account ids from a file in S3, assumes GetSupportInfoRole in each, calls
Support DescribeCases, writes case_list.csv to S3 and mails it through SES SendRawEmail.
Kept as it runs on AWS: local-cloud tests run it unchanged, pointing boto3 at other endpoints.
"""
import csv
import io
import os
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import boto3
from botocore.exceptions import ClientError

BUCKET = os.environ["BUCKET_NAME"]
ACCOUNTS_KEY = os.environ.get("ACCOUNTS_KEY", "accounts.txt")
REPORT_KEY = os.environ.get("REPORT_KEY", "case_list.csv")
ROLE_NAME = os.environ.get("ROLE_NAME", "GetSupportInfoRole")
SENDER = os.environ["SENDER"]
RECIPIENT = os.environ["RECIPIENT"]
HEADER = ["case-id", "status", "severity", "service", "subject", "createdtime", "case-owner", "account-id"]


def read_accounts(s3):
    body = s3.get_object(Bucket=BUCKET, Key=ACCOUNTS_KEY)["Body"].read().decode("utf-8")
    return [line.strip() for line in body.splitlines() if line.strip() and not line.startswith("#")]


def cases_of(sts, account_id):
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/{ROLE_NAME}", RoleSessionName="GetSupportInfo"
    )["Credentials"]
    support = boto3.client(
        "support",
        region_name="us-east-1",
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    rows = []
    for page in support.get_paginator("describe_cases").paginate(includeResolvedCases=True, includeCommunications=False):
        for case in page["cases"]:
            rows.append([case["caseId"], case["status"], case["severityCode"], case["serviceCode"], case["subject"],
                         case["timeCreated"], case["submittedBy"], account_id])
    return rows


def lambda_handler(event, context):
    s3 = boto3.client("s3")
    sts = boto3.client("sts")
    rows, failed = [], []
    for account_id in read_accounts(s3):
        try:
            rows.extend(cases_of(sts, account_id))
        except ClientError as error:
            print(f"skipping {account_id}: {error.response['Error']['Code']}")
            failed.append(account_id)

    report = io.StringIO()
    writer = csv.writer(report)
    writer.writerow(HEADER)
    writer.writerows(rows)
    s3.put_object(Bucket=BUCKET, Key=REPORT_KEY, Body=report.getvalue().encode("utf-8"))

    message = MIMEMultipart()
    message["Subject"] = "AWS Support cases"
    message["From"] = SENDER
    message["To"] = RECIPIENT
    message.attach(MIMEText(f"{len(rows)} cases; attached.", "plain"))
    attachment = MIMEApplication(report.getvalue().encode("utf-8"))
    attachment.add_header("Content-Disposition", "attachment", filename="case_list.csv")
    message.attach(attachment)
    ses = boto3.client("ses", region_name="us-east-1")
    ses.send_raw_email(Source=SENDER, Destinations=[RECIPIENT], RawMessage={"Data": message.as_string()})
    return {"cases": len(rows), "failedAccounts": failed}
