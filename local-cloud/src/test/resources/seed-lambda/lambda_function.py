#!/usr/bin/env python
# The seed's Lambda exactly as the article publishes it (docs/seed: "把如下代码贴入lambda文件"), with
# two kinds of edits and no others: the article's lost indentation restored, and the placeholders it
# asks the reader to fill (bucket, account file, SES addresses and region, <delta#> days) read from
# environment variables. Its weaknesses are kept on purpose: one DescribeCases call per account
# (first page, default language only), displayId as case-id, no error handling.
# Endpoint URLs are not set here: invoke_locally.py points boto3 at local-cloud.
import boto3
import csv
import os
import json
import datetime
#For email
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import COMMASPACE, formatdate
def lambda_handler(event, context):
    sts_client = boto3.client('sts')
    s3=boto3.client('s3')
    bucketname = os.environ['SEED_BUCKET']
    filename=os.environ['SEED_ACCOUNTS_KEY']
    api_region = 'us-east-1'
    SES_SENDFROM = os.environ['SEED_SES_SENDFROM']
    SES_SENDTO = os.environ['SEED_SES_SENDTO']
    SES_REGION = os.environ['SEED_SES_REGION']
    #Read AccountIDs
    fileobj= s3.get_object(
        Bucket=bucketname,
        Key=filename,)
    accountid = fileobj['Body'].read().decode('utf-8').splitlines()
    f = open('/tmp/case_list.csv', 'w+', newline='\n', encoding='utf-8')
    csv_writer = csv.writer(f)
    csv_writer.writerow(['case-id', 'status', 'severity','service', 'subject', 'createdtime', 'case-owner', 'account-id'])
    for line in accountid:
        aid = line.strip()
        assumed_role_object = sts_client.assume_role(
            RoleArn="arn:aws:iam::"+aid+":role/GetSupportInfoRole",
            RoleSessionName="masterrolesession"
        )
        credentials = assumed_role_object['Credentials']
        #Switch Role to execute
        case_client = boto3.client(
            'support',
            region_name = api_region,
            aws_access_key_id=credentials['AccessKeyId'],
            aws_secret_access_key=credentials['SecretAccessKey'],
            aws_session_token=credentials['SessionToken'],
        )
        now = datetime.datetime.now()
        timeline = (now + datetime.timedelta(days=int(os.environ['SEED_DELTA_DAYS']))).strftime("%Y-%m-%dT%H:%M:%S")
        case_response = case_client.describe_cases(includeResolvedCases=True,afterTime=timeline)
        #Get Case Status
        for i in range(len(case_response['cases'])):
            case_id = case_response['cases'][i]['displayId']
            case_status = case_response['cases'][i]['status']
            case_severity = case_response['cases'][i]['severityCode']
            case_service = case_response['cases'][i]['serviceCode']
            case_subject = case_response['cases'][i]['subject']
            case_date = case_response['cases'][i]['timeCreated']
            case_owner = case_response['cases'][i]['submittedBy']
            fields=[case_id,case_status,case_severity,case_service,case_subject,case_date,case_owner,aid]
            print(fields)
            csv_writer.writerow(fields)
    f.close()
    s3.upload_file("/tmp/case_list.csv",bucketname,"casefile/case_list.csv")
    #Sending Email
    msg = MIMEMultipart()
    msg['From'] = SES_SENDFROM
    msg['To'] = COMMASPACE.join(SES_SENDTO.split(","))
    msg['Date'] = formatdate(localtime=True)
    msg['Subject'] = "Case Status"
    text = "Find your Case Status Report attached\n\n"
    msg.attach(MIMEText(text))
    with open("/tmp/case_list.csv", "rb") as fil:
        part = MIMEApplication(
            fil.read(),
            Name="case_list.xlsx"
        )
    part['Content-Disposition'] = 'attachment; filename="%s"' % "case_list.xlsx"
    msg.attach(part)
    # Sending Mail notification
    ses = boto3.client('ses', region_name=SES_REGION)
    result = ses.send_raw_email(
        Source=msg['From'],
        Destinations=SES_SENDTO.split(","),
        RawMessage={'Data': msg.as_string()}
    )
