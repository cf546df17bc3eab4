#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""checklinks: every relative link of README.md, docs/ and bench/*.md
names a file or directory that exists, and README.md stays under 150
lines. Run by `make check`."""
import os
import re
import sys

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def main():
    files = ["README.md", "bench/RESULTS.md", "bench/HISTORY.md", "installer/README.md"]
    for root, _, names in os.walk("docs"):
        files += [os.path.join(root, n) for n in names if n.endswith(".md")]
    bad = 0
    for path in sorted(files):
        with open(path) as f:
            text = f.read()
        for target in LINK.findall(text):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            target = target.split("#", 1)[0]
            full = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if not os.path.exists(full):
                print(f"{path}: the link to {target} leads nowhere ({full})")
                bad += 1
    with open("README.md") as f:
        n = sum(1 for _ in f)
    if n >= 150:
        print(f"README.md has {n} lines; keep it under 150 (the rest belongs in docs/)")
        bad += 1
    if bad:
        return 1
    print(f"checklinks: {len(files)} documents, every relative link resolves; README.md {n} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
