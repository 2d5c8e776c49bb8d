#!/usr/bin/env python3
"""Validate JSON files against a JSON Schema (draft 2020-12) with python3-jsonschema.

usage: validate-json.py SCHEMA FILE...
       validate-json.py --invalid SCHEMA FILE...
Prints one line per file; exits 1 if any file is invalid, naming the JSON path of each error.
With --invalid every file must FAIL validation (negative tests of a schema): exits 1 if any
file is valid.
"""
import json
import sys

import jsonschema


def main(argv):
    args = argv[1:]
    expect_invalid = False
    if args and args[0] == "--invalid":
        expect_invalid = True
        args = args[1:]
    if len(args) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    with open(args[0], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for path in args[1:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print(f"{path}: {where}: {e.message}")
        if expect_invalid:
            if errors:
                print(f"{path}: rejected, as expected")
            else:
                print(f"{path}: valid, but it should have been rejected")
                bad += 1
        elif errors:
            bad += 1
        else:
            print(f"{path}: valid")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
