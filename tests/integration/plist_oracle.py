#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The oracle for test_plist: Python's plistlib (CPython's own reader and
writer of Apple property lists) and libplist's plistutil (Debian's
libplist-utils), neither written here.

usage: plist_oracle.py canon FILE...
         prints, for each FILE, plistlib's reading of it in the canonical
         form test_plist.c prints for platform/plist.c's, then a line ".";
         when plistlib refuses it, "E reason" and then what libplist reads
         of it (plistutil's conversion to the other format, read by
         plistlib), if
         libplist reads it, or "L reason" when plistlib cannot read even
         that
       plist_oracle.py gen DIR N SEED
         writes N random property lists DIR/gNNNN.plist (XML and binary in
         turn, by plistlib) with DIR/gNNNN.canon, and each converted to the
         other format by plistutil as DIR/gNNNN.conv.plist with plistlib's
         reading of that in DIR/gNNNN.conv.canon

The canonical form, one token a line: "D n" (a dictionary of n distinct
keys, each "K hex" then its value, in first-seen order, a repeated key's
last value), "A n", "S hex" (UTF-8), "B hex", "I n", "R hex" (the IEEE
double's 64 bits), "T 0|1", "W n" (whole seconds since 2001-01-01), "U n",
"N".
"""
import datetime
import os
import random
import struct
import subprocess
import sys
import plistlib

EPOCH = datetime.datetime(2001, 1, 1)


def canon(v, out):
    if isinstance(v, dict):
        out.append("D %d" % len(v))
        for k, x in v.items():
            out.append("K " + k.encode("utf-8").hex())
            canon(x, out)
    elif isinstance(v, list):
        out.append("A %d" % len(v))
        for x in v:
            canon(x, out)
    elif isinstance(v, bool):
        out.append("T %d" % int(v))
    elif isinstance(v, plistlib.UID):
        out.append("U %d" % v.data)
    elif isinstance(v, int):
        out.append("I %d" % v)
    elif isinstance(v, float):
        out.append("R " + struct.pack(">d", v).hex())
    elif isinstance(v, str):
        out.append("S " + v.encode("utf-8").hex())
    elif isinstance(v, bytes):
        out.append("B " + v.hex())
    elif isinstance(v, datetime.datetime):
        out.append("W %d" % ((v.replace(tzinfo=None) - EPOCH) // datetime.timedelta(seconds=1)))
    elif v is None:
        out.append("N")
    else:
        raise TypeError(type(v))


def canon_file(path):
    try:
        with open(path, "rb") as f:
            v = plistlib.load(f)
        out = []
        canon(v, out)
        return out
    except Exception as e:  # what plistlib refuses, with its reason
        return ["E " + type(e).__name__]


WORDS = ["AutomaticCheckEnabled", "idleTime", "askForPassword", "ProductVersion", "é", "日本",
         "a&b<c>", "tab\there", "line\nbreak", "", " spaced ", "\U0001F512", "CF$UID"]


def rand_string(r):
    k = r.random()
    if k < 0.5:
        return r.choice(WORDS)
    n = r.randrange(0, 40)
    # printable text, some of it beyond ASCII and beyond the BMP
    chars = [chr(r.choice([r.randrange(0x20, 0x7f), r.randrange(0xa0, 0x800),
                           r.randrange(0x800, 0xd800), r.randrange(0x10000, 0x20000)]))
             for _ in range(n)]
    return "".join(chars)


def rand_value(r, depth):
    k = r.randrange(0, 12 if depth < 6 else 9)
    if k == 0:
        return rand_string(r)
    if k == 1:
        return r.choice([0, 1, -1, 255, 256, 65535, 65536, 2**31, -2**31, 2**32, 2**63 - 1,
                         -2**63, 2**64 - 1, r.randrange(-2**63, 2**63)])
    if k == 2:
        return r.choice([0.0, -0.0, 1.5, -2.25, 1e300, 5e-324, float("inf"), float("-inf"),
                         r.uniform(-1e9, 1e9)])
    if k == 3:
        return r.choice([True, False])
    if k == 4:
        return bytes(r.randrange(256) for _ in range(r.randrange(0, 64)))
    if k == 5:
        return EPOCH + datetime.timedelta(seconds=r.randrange(-10**9, 10**9))
    if k in (6, 7, 8):
        return r.choice(WORDS[:4]) if k == 8 else r.randrange(0, 100)
    if k in (9, 10):
        return {rand_string(r): rand_value(r, depth + 1) for _ in range(r.randrange(0, 6))}
    return [rand_value(r, depth + 1) for _ in range(r.randrange(0, 6))]


def gen(d, n, seed):
    r = random.Random(seed)
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        v = {rand_string(r): rand_value(r, 1) for _ in range(r.randrange(1, 8))}
        fmt = plistlib.FMT_XML if i % 2 == 0 else plistlib.FMT_BINARY
        base = os.path.join(d, "g%04d" % i)
        with open(base + ".plist", "wb") as f:
            plistlib.dump(v, f, fmt=fmt, sort_keys=False)
        # what plistlib reads back (its binary writer shares equal values,
        # so 0.0 and -0.0 in one list may come back as one of them)
        with open(base + ".canon", "w") as f:
            f.write("\n".join(canon_file(base + ".plist")) + "\n")
        subprocess.run(["plistutil", "-i", base + ".plist", "-o", base + ".conv.plist", "-f",
                        "bin" if fmt == plistlib.FMT_XML else "xml"], check=True)
        # what plistlib reads of plistutil's file (libplist 2.2 writes -0.0
        # as 0.0, so it is not always the original)
        with open(base + ".conv.canon", "w") as f:
            f.write("\n".join(canon_file(base + ".conv.plist")) + "\n")


def main():
    if sys.argv[1] == "canon":
        for p in sys.argv[2:]:
            out = canon_file(p)
            print("\n".join(out))
            if out[0].startswith("E "):
                # plistlib refuses it; what libplist reads of it, if it
                # does (plistutil's conversion to the other format, read
                # by plistlib).
                # libplist 2.2 writes an empty <plist> and exits 0 for a
                # file it cannot read: that is a refusal.
                with open(p, "rb") as f:
                    binary = f.read(6) == b"bplist"
                conv = p + ".oracle"
                try:
                    r = subprocess.run(["plistutil", "-i", p, "-o", conv, "-f",
                                        "xml" if binary else "bin"], capture_output=True)
                    body = b""
                    if r.returncode == 0 and os.path.exists(conv):
                        with open(conv, "rb") as f:
                            body = f.read()
                    empty = body.rstrip().endswith(b'<plist version="1.0">\n</plist>')
                    if body and (body.startswith(b"bplist") or b"<plist" in body) and not empty:
                        again = canon_file(conv)
                        # "L": libplist reads it, plistlib cannot hold what
                        # it holds (a date in year 0, Apple's distant past)
                        print("\n".join(again) if not again[0].startswith("E ") else
                              "L " + again[0][2:])
                finally:
                    if os.path.exists(conv):
                        os.unlink(conv)
            print(".")
    elif sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("usage: plist_oracle.py canon FILE... | gen DIR N SEED")


main()
