#!/usr/bin/env python3
"""Check the X-Casefeed-Signature of a casefeed webhook post, as a receiver would.

    WEBHOOK_SECRET=... verify_webhook_signature.py 't=1764835200,v1=5d4c...' < body.json
    verify_webhook_signature.py --max-age 300 'HEADER' < body.json

The signature is HMAC-SHA256, keyed with the shared secret, over the bytes
"<t>.<body>", hex-encoded; t is the sending time in Unix seconds. Exit status 0
when the signature is valid (and, with --max-age, t is recent enough), 1 if not.
Only the Python standard library is used.
"""
import argparse
import hashlib
import hmac
import os
import sys
import time


def verify(secret: bytes, header: str, body: bytes, max_age=None, now=None) -> str:
    """Returns None when valid, else why not."""
    parts = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            return "malformed header"
        parts.setdefault(key, []).append(value)
    if "t" not in parts or "v1" not in parts:
        return "header lacks t= or v1="
    try:
        t = int(parts["t"][0])
    except ValueError:
        return "t is not a number"
    expected = hmac.new(secret, str(t).encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    # Constant-time comparison; any v1 may match (a sender rotating secrets may send two).
    if not any(hmac.compare_digest(expected, candidate) for candidate in parts["v1"]):
        return "signature does not match"
    if max_age is not None:
        age = (now if now is not None else time.time()) - t
        if age > max_age or age < -max_age:
            return "timestamp is %d s away from now, more than %d s" % (age, max_age)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("header", help="the X-Casefeed-Signature header value")
    parser.add_argument("--max-age", type=int, default=None, help="refuse signatures older than this many seconds")
    args = parser.parse_args()
    secret = os.environ.get("WEBHOOK_SECRET")
    if not secret:
        print("set WEBHOOK_SECRET to the webhook's signing secret", file=sys.stderr)
        return 2
    body = sys.stdin.buffer.read()
    problem = verify(secret.encode("utf-8"), args.header, body, args.max_age)
    if problem:
        print("INVALID: " + problem, file=sys.stderr)
        return 1
    print("valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
