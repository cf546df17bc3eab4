#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The oracle for test_password_policy: libpwquality's own reading of a
pwquality.conf (and its .d directory), through Debian's python3-pwquality.

usage: pwquality_oracle.py CONF [OPTION...]

Prints "minlen dcredit ucredit lcredit ocredit dictcheck enforcing shortest":
the settings as libpwquality read them (after the OPTIONs, as pam_pwquality
applies its arguments), and the shortest password its check() accepts,
found by trying every length from 1 with a password that earns every credit
the settings give. A read that libpwquality stops at an error keeps what it
read before, as pam_pwquality does, so the error is not fatal here.
"""
import sys

import pwquality

POOLS = {"d": "2795380461", "u": "QZXRKWMTPVBNJHGF", "l": "qwyuiopzxcvbnmkj",
         "o": "#!%&*@^(+=;?~[]{"}


def password(s, length):
    """LENGTH distinct-looking characters: first as many of each class as
    its credit earns (or its negative credit requires), then lower case."""
    chars = []
    for k, credit in (("d", s.dcredit), ("u", s.ucredit), ("l", s.lcredit), ("o", s.ocredit)):
        chars.extend(POOLS[k][i % len(POOLS[k])] for i in range(abs(credit)))
    i = 0
    while len(chars) < length:
        pool = POOLS["l"] if (i // len(POOLS["l"])) % 2 == 0 else POOLS["u"]
        chars.append(pool[i % len(pool)])
        i += 1
    return "".join(chars[:length])


def main():
    s = pwquality.PWQSettings()
    # the binding raises AttributeError for an unknown name and ValueError
    # for a bad value; what was read before stays, as in pam_pwquality
    try:
        s.read_config(sys.argv[1])
    except (pwquality.PWQError, AttributeError, ValueError):
        pass
    for opt in sys.argv[2:]:
        try:
            s.set_option(opt)
        except (pwquality.PWQError, AttributeError, ValueError):
            pass
    shortest = -1
    for length in range(1, 257):
        try:
            s.check(password(s, length))
        except pwquality.PWQError:
            continue
        shortest = length
        break
    print(s.minlen, s.dcredit, s.ucredit, s.lcredit, s.ocredit, s.dictcheck, s.enforcing,
          shortest)


if __name__ == "__main__":
    main()
