#!/usr/bin/env python3
"""Markdown table of median ratios from a BenchmarkDotNet CSV export (the `-report.csv` under results/).

Each row is one parameter cell (for example Batch x Classes); each column one benchmark method; each entry the
method's median time over the baseline method's median in that cell. Ratios above --target are bold.

    python3 benchmarks/ratio_table.py benchmarks/results/EarthMover.Benchmarks.OrdinalLossBenchmarks-report.csv
"""
import argparse
import csv
import re
import sys

UNITS = {"ns": 1e-3, "μs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}
PARAMETERS = ("Batch", "Classes", "B", "C", "K")


def microseconds(text):
    match = re.match(r"([\d.,]+)\s*(ns|μs|us|ms|s)\b", text.strip())
    if not match:
        return None
    return float(match.group(1).replace(",", "")) * UNITS[match.group(2)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="a BenchmarkDotNet -report.csv export")
    parser.add_argument("--baseline", default="cross_entropy", help="the method the others are divided by")
    parser.add_argument("--target", type=float, default=1.25, help="ratios above this are bold")
    args = parser.parse_args()
    with open(args.csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{args.csv}: no rows")
    keys = [k for k in rows[0] if k in PARAMETERS]
    cells, methods = {}, []
    for row in rows:
        method = row["Method"].strip("'")
        if method not in methods:
            methods.append(method)
        cells.setdefault(tuple(row[k] for k in keys), {})[method] = microseconds(row.get("Median") or row["Mean"])
    if args.baseline not in methods:
        sys.exit(f"{args.csv}: no method named {args.baseline}")
    others = [m for m in methods if m != args.baseline]
    print("| " + " x ".join(keys) + f" | {args.baseline} (µs, median) | " + " | ".join(others) + " |")
    print("|" + "---|" * (len(others) + 2))
    for key, times in cells.items():
        base = times.get(args.baseline)
        entries = []
        for m in others:
            t = times.get(m)
            if t is None or not base:
                entries.append("")
                continue
            ratio = t / base
            entries.append(f"**{ratio:.2f}**" if ratio > args.target else f"{ratio:.2f}")
        print("| " + " x ".join(key) + f" | {base:.0f} | " + " | ".join(entries) + " |")


if __name__ == "__main__":
    main()
