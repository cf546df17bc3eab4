#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Many connections without a client certificate against a collector on
loopback, and the memory it keeps afterwards.

Opens N TLS connections (ALPN h2 and http/1.1), one after another, each
sending GET /v1/crl over HTTP/1.1, and keeps every one that the collector
leaves open until all N were tried; then closes them all. The collector's
VmRSS (from /proc/PID/status) before, at the peak, and 5 s after the
connections closed (which is when it should have given memory back).

Usage: conn_flood.py PORT CA_FILE COLLECTOR_PID [N]
Only ever aimed at 127.0.0.1.
"""
import socket
import ssl
import sys
import time


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    port, ca, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
    ctx = ssl.create_default_context(cafile=ca)
    before = peak = rss_kib(pid)
    held, refused = [], 0
    for i in range(n):
        try:
            s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                                server_hostname="localhost")
            s.sendall(b"GET /v1/crl HTTP/1.1\r\nHost: localhost\r\n\r\n")
            held.append(s)
        except OSError:
            refused += 1
        if i % 250 == 0:
            peak = max(peak, rss_kib(pid))
    peak = max(peak, rss_kib(pid))
    for s in held:
        s.close()
    time.sleep(5)
    after = rss_kib(pid)
    print("%d connections without a certificate tried, %d refused at once: "
          "VmRSS before %.1f MB, peak %.1f MB, 5 s after closing %.1f MB"
          % (n, refused, before / 1024, peak / 1024, after / 1024))
    return 0


if __name__ == "__main__":
    sys.exit(main())
