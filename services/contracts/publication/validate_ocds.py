#!/usr/bin/python3
"""Checks an OCDS 1.1 release package against the OCDS 1.1.5 schemas with the extensions merged in.

    validate_ocds.py [--schema-dir DIR] [--core-only] PACKAGE.json

The release schema alone lets any value through where an extension adds a field (OCDS objects
allow properties they do not name), so a package is checked against release-schema.json with each
extension's release-schema patch merged into it (RFC 7386 JSON Merge Patch) first. The package
schema refers to the release schema by URL; that URL is answered with the merged local schema, so
nothing is fetched. --core-only skips the patches, to show what the core schema alone accepts.

Prints "valid" and exits 0, or prints the first error (the errors sorted by their path in the
package) as "invalid: <path>: <message>" and exits 1. Exits 2 when a file cannot be read.

Needs Debian's python3-jsonschema (draft 4, as OCDS 1.1 is written in).
"""

import argparse
import copy
import json
import os
import sys

import jsonschema

# The patches merged into release-schema.json, in order: one per extension the packages name.
EXTENSION_PATCHES = ["techniques-release-schema.json"]


def merge_patch(target, patch):
    """RFC 7386: an object patch merges key by key, null removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def release_schema(schema_dir, core_only):
    schema = load(os.path.join(schema_dir, "release-schema.json"))
    if not core_only:
        for name in EXTENSION_PATCHES:
            schema = merge_patch(schema, load(os.path.join(schema_dir, name)))
    return schema


def first_error(package, schema_dir, core_only):
    package_schema = load(os.path.join(schema_dir, "release-package-schema.json"))
    release = release_schema(schema_dir, core_only)
    # The package schema's `releases` items are {"$ref": <release schema's id>}: the store
    # answers that URL with the local (merged) schema, whose own "#/definitions/..." refs then
    # resolve inside it.
    resolver = jsonschema.RefResolver.from_schema(package_schema, store={release["id"]: release})
    validator = jsonschema.Draft4Validator(
        package_schema, resolver=resolver, format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(
        validator.iter_errors(package), key=lambda e: [str(p) for p in e.absolute_path]
    )
    return errors[0] if errors else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--schema-dir",
        default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "schema"),
        help="the folder of release-package-schema.json, release-schema.json and the patches",
    )
    parser.add_argument("--core-only", action="store_true", help="do not merge the extensions")
    parser.add_argument("package", help="the release package (JSON)")
    args = parser.parse_args()
    try:
        package = load(args.package)
        error = first_error(package, args.schema_dir, args.core_only)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if error is None:
        print("valid")
        return 0
    path = "/".join(str(p) for p in error.absolute_path) or "(the package)"
    print(f"invalid: {path}: {error.message}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
