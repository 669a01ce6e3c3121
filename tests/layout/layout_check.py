#!/usr/bin/python3
"""Checks the shape every service keeps (README "Working on it", issue #11).

1. Transport thinner than the rules: in each service, the non-test C++ in api/ has fewer lines
   than in domain/.
2. SQL only in storage/: outside a service's storage/ folder (and its tests and benchmarks) no
   source file runs a statement on a pqxx transaction; handlers, use cases, timers, consumers and
   metrics call the functions storage/ offers, whose SQL is in named constants there.

Run from anywhere; exits non-zero naming each breach.
"""
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVICES = os.path.join(ROOT, "services")

# A statement run on a transaction or connection: tx.exec(...), exec0/exec1/exec_params...
STATEMENT = re.compile(r"\bexec(?:0|1|_params0|_params1|_params|_prepared)?\s*\(")
TEST_FILE = re.compile(r"(_test|_pgtest|_redistest|_systest|_bench)\.cc$")
SKIPPED_FOLDERS = {"storage", "tests", "bench"}


def sources(folder):
    for dirpath, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith((".cc", ".h")):
                yield os.path.join(dirpath, name)


def line_count(folder):
    total = 0
    for path in sources(folder):
        if TEST_FILE.search(path):
            continue
        with open(path, encoding="utf-8") as f:
            total += sum(1 for _ in f)
    return total


def layer_breaches():
    breaches = []
    for service in sorted(os.listdir(SERVICES)):
        api = os.path.join(SERVICES, service, "api")
        domain = os.path.join(SERVICES, service, "domain")
        if not (os.path.isdir(api) and os.path.isdir(domain)):
            continue
        api_lines, domain_lines = line_count(api), line_count(domain)
        if api_lines >= domain_lines:
            breaches.append(
                f"services/{service}: api/ has {api_lines} lines, domain/ {domain_lines}: "
                "the handlers must stay thinner than the rules (move use cases to app/)")
    return breaches


def statements_outside_storage():
    found = {}
    for path in sources(SERVICES):
        relative = os.path.relpath(path, ROOT)
        parts = relative.split(os.sep)
        if SKIPPED_FOLDERS.intersection(parts[2:-1]) or TEST_FILE.search(path):
            continue
        with open(path, encoding="utf-8") as f:
            count = len(STATEMENT.findall(f.read()))
        if count:
            found[relative] = count
    return found


def sql_breaches():
    return [f"{path}: {count} SQL statement(s) outside storage/: put them in the service's "
            "storage/ behind a function" for path, count in sorted(statements_outside_storage().items())]


def main():
    breaches = layer_breaches() + sql_breaches()
    for breach in breaches:
        print(breach)
    if not breaches:
        print("layout: every api/ thinner than its domain/; no SQL outside storage/")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
