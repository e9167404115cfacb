"""Benchmark: importing a Windows-1252 CSV file of leads, first into an empty workspace, then a
second export of the same people (every row merged into an existing lead, scores raised), with a
share of bad rows and duplicates.

Prints the file's size, the wall time of each import, rows per second and the report's counts.

    python3 bench/bench_leads.py --rows 10000

Uses a fresh SQLite database in a temporary CLARION_HOME unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def lead_file(rows: int, *, bump: int = 0) -> bytes:
    """``rows`` rows: one in 50 with a bad address, one in 20 a duplicate of the row before;
    ``bump`` raises every score (a second export of the same people)."""
    lines = ["Email;Full name;Organisation;Phone;Status;Score"]
    for i in range(rows):
        n = i - 1 if i % 20 == 19 else i
        email = f"lead{n}.example" if i % 50 == 49 else f"lead{n}@example.com"
        status = ("new", "contacted", "qualified", "converted")[i % 4]
        lines.append(
            f"{email};Lead Number {n};Société {n % 300};+33 1 00 00 {n % 100:02};{status};{min(100, i % 101 + bump)}"
        )
    return ("\n".join(lines) + "\n").encode("cp1252")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("CLARION_HOME", tempfile.mkdtemp(prefix="clarion-bench-"))

    from clarion import bootstrap

    bootstrap.ensure_database()
    from django.db import connection

    from clarion.accounts.workspaces import create_workspace
    from clarion.crm.services import import_leads

    workspace = create_workspace(name=f"Leads bench {time.time_ns()}")
    first = lead_file(args.rows)
    print(f"{connection.vendor}: {args.rows:,} rows, {len(first):,} bytes")
    for label, data in (("first import", first), ("again, merged", lead_file(args.rows, bump=5))):
        started = time.perf_counter()
        report = import_leads(workspace=workspace, data=data)
        took = time.perf_counter() - started
        print(
            f"{label:>14}: {took:.2f} s, {args.rows / took:,.0f} rows/s; "
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"merged in file {report.merged_in_file}, rejected {len(report.rejected)} "
            f"({report.encoding})"
        )


if __name__ == "__main__":
    main()
