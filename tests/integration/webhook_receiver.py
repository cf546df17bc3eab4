#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A webhook receiver for tests/integration/test_webhooks.c, on Python's
own http.server: it answers 503 while DIR/mode says "down" and 200 when it
says "up", checks each delivery's Posture-Signature with Python's hmac
module against the secret in DIR/secret (an oracle this project did not
write), and appends one JSON line per request to DIR/received.jsonl.
Usage: webhook_receiver.py DIR PORT"""
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]


def read(name, default=""):
    try:
        with open(os.path.join(DIR, name)) as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        ts = self.headers.get("Posture-Timestamp", "")
        sig = self.headers.get("Posture-Signature", "")
        want = hmac.new(read("secret").encode(), ts.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
        status = 200 if read("mode", "up") == "up" else 503
        try:
            doc = json.loads(body)
        except ValueError:
            doc = None
        line = {
            "status": status,
            "event_id": self.headers.get("Posture-Event-Id"),
            "event": self.headers.get("Posture-Event"),
            "content_type": self.headers.get("Content-Type"),
            "sig_ok": sig == "v1=" + want,
            "body": body.decode("utf-8", "replace"),
            "doc": doc,
        }
        with open(os.path.join(DIR, "received.jsonl"), "a") as f:
            f.write(json.dumps(line) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
