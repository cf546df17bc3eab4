#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Validates JSON documents against docs/schema/ with python3-jsonschema
(Debian's; draft 2020-12), the schemas' oracle.

usage: schema_check.py SCHEMA FILE...
Prints one line per document that does not validate, naming the document,
the place in it and why; exits 1 if any does not, 2 if jsonschema is
missing.
"""
import json
import os
import sys

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("schema_check: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(2)


def main(argv):
    schema_path = os.path.abspath(argv[0])
    base = os.path.dirname(schema_path)
    store = {}
    for name in os.listdir(base):
        if name.endswith(".json"):
            with open(os.path.join(base, name)) as f:
                doc = json.load(f)
            store[doc["$id"]] = doc
    with open(schema_path) as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    validator = Draft202012Validator(schema, resolver=resolver)
    bad = 0
    for path in argv[1:]:
        with open(path) as f:
            try:
                doc = json.load(f)
            except ValueError as e:
                print(f"{path}: not JSON: {e}")
                bad += 1
                continue
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.absolute_path) or "(top)"
            print(f"{path}: {where}: {err.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
