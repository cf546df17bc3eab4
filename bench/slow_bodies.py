#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Slow HTTP/2 request bodies against a collector on loopback, and what
they cost it in memory.

CONNS connections (no client certificate: anyone can do this), each with
STREAMS POST /v1/enroll streams that announce BODY bytes, send all but the
last few as fast as flow control lets them, then trickle one byte per
stream every 3 s for SECONDS. The collector's VmRSS (from /proc/PID/status)
is read every second. Prints it before, at the peak and 5 s after the
connections close; exits 1 when the peak grew by 64 MB or more.

Usage: slow_bodies.py PORT CA_FILE COLLECTOR_PID [CONNS] [STREAMS] [SECONDS] [BODY]
Only ever aimed at 127.0.0.1.
"""
import socket
import ssl
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pump(sock, conn):
    data = conn.data_to_send()
    if data:
        sock.sendall(data)


def attacker(port, ca, streams, seconds, body, stats):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(["h2"])
    try:
        sock = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                               server_hostname="localhost")
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        conn.initiate_connection()
        pump(sock, conn)
        sock.settimeout(0.2)
        ids = []
        for _ in range(streams):
            sid = conn.get_next_available_stream_id()
            conn.send_headers(sid, [(":method", "POST"), (":path", "/v1/enroll"),
                                    (":scheme", "https"), (":authority", "localhost"),
                                    ("content-type", "application/json"),
                                    ("content-length", str(body))])
            ids.append(sid)
        pump(sock, conn)
        sent = {sid: 0 for sid in ids}
        closed = set()
        chunk = b"x" * 16384
        end = time.monotonic() + seconds
        next_trickle = 0.0
        while time.monotonic() < end and len(closed) < len(ids):
            # all but the last 10 bytes, as fast as the windows allow
            for sid in ids:
                if sid in closed:
                    continue
                want = body - 10 - sent[sid]
                while want > 0:
                    room = min(conn.local_flow_control_window(sid), conn.max_outbound_frame_size,
                               want)
                    if room <= 0:
                        break
                    try:
                        conn.send_data(sid, chunk[:room])
                    except h2.exceptions.StreamClosedError:
                        closed.add(sid)
                        break
                    sent[sid] += room
                    want -= room
            if time.monotonic() >= next_trickle:
                for sid in ids:
                    if sid in closed or sent[sid] >= body - 1:
                        continue
                    if conn.local_flow_control_window(sid) > 0:
                        try:
                            conn.send_data(sid, b"x")
                            sent[sid] += 1
                        except h2.exceptions.StreamClosedError:
                            closed.add(sid)
                next_trickle = time.monotonic() + 3
            try:
                pump(sock, conn)
                incoming = sock.recv(65536)
                if not incoming:
                    break
                for ev in conn.receive_data(incoming):
                    if isinstance(ev, (h2.events.StreamReset, h2.events.StreamEnded)):
                        closed.add(ev.stream_id)
                    elif isinstance(ev, h2.events.ConnectionTerminated):
                        raise OSError("GOAWAY")
                pump(sock, conn)
            except socket.timeout:
                pass
        with stats["lock"]:
            stats["sent"] += sum(sent.values())
            stats["refused"] += len(closed)
        sock.close()
    except (OSError, h2.exceptions.ProtocolError, ssl.SSLError):
        with stats["lock"]:
            stats["cut"] += 1


def main():
    port, ca, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    conns = int(sys.argv[4]) if len(sys.argv) > 4 else 6
    streams = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    seconds = float(sys.argv[6]) if len(sys.argv) > 6 else 30
    body = int(sys.argv[7]) if len(sys.argv) > 7 else 1000000
    stats = {"lock": threading.Lock(), "sent": 0, "refused": 0, "cut": 0}
    before = rss_kib(pid)
    threads = [threading.Thread(target=attacker, args=(port, ca, streams, seconds, body, stats))
               for _ in range(conns)]
    for t in threads:
        t.start()
    peak = before
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_kib(pid))
        time.sleep(1)
    for t in threads:
        t.join()
    time.sleep(5)
    after = rss_kib(pid)
    print("slow HTTP/2 bodies: %d connections x %d streams announcing %d bytes, %.0f s: "
          "%.1f MB sent; %d streams refused or reset, %d connections cut"
          % (conns, streams, body, seconds, stats["sent"] / 1e6, stats["refused"],
             stats["cut"]))
    print("collector VmRSS: before %.1f MB, peak %.1f MB (+%.1f MB), 5 s after %.1f MB"
          % (before / 1024, peak / 1024, (peak - before) / 1024, after / 1024))
    return 0 if peak - before < 64 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
