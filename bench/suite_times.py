"""Totals of a test run's phases per file and the largest single items.

    TIANPING_TEST_TIMES=/tmp/times.tsv make test
    python bench/suite_times.py /tmp/times.tsv [top]
"""

from __future__ import annotations

import sys
from collections import defaultdict


def main(path: str, top: int = 40) -> None:
    per_file: dict[str, float] = defaultdict(float)
    per_item: dict[str, float] = defaultdict(float)
    count: dict[str, set[str]] = defaultdict(set)
    total = 0.0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            nodeid, when, seconds = line.rstrip("\n").split("\t")
            value = float(seconds)
            total += value
            file = nodeid.split("::", 1)[0]
            per_file[file] += value
            per_item[f"{nodeid} ({when})"] += value
            count[file].add(nodeid)
    print(f"total {total:,.0f} s over {sum(len(v) for v in count.values())} tests")
    print("\nper file")
    for file, seconds in sorted(per_file.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{seconds:8.1f} s  {len(count[file]):4d} tests  {file}")
    print("\nlargest phases")
    for item, seconds in sorted(per_item.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{seconds:8.1f} s  {item}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
