#!/usr/bin/env python3
"""Markdown table of median ratios from BenchmarkDotNet CSV exports (the `-report.csv` under results/).

Each row is one parameter cell (for example Batch x Classes); each column one benchmark method; each entry the
method's median time over the baseline method's median in that cell, the two from the same run. Given several
exports (independent runs of the same benchmarks), each entry is the median of the runs' ratios, with their range.
Ratios above --target are bold.

    python3 benchmarks/ratio_table.py benchmarks/results/EarthMover.Benchmarks.OrdinalLossBenchmarks-report.csv
"""
import argparse
import csv
import re
import statistics
import sys

UNITS = {"ns": 1e-3, "μs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}
PARAMETERS = ("Batch", "Classes", "B", "C", "K", "Scale")


def microseconds(text):
    match = re.match(r"([\d.,]+)\s*(ns|μs|us|ms|s)\b", text.strip())
    if not match:
        return None
    return float(match.group(1).replace(",", "")) * UNITS[match.group(2)]


def read(path, baseline):
    """{cell: {method: median µs}}, the parameter names, and the methods in order, from one export."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows")
    keys = [k for k in PARAMETERS if k in rows[0]]
    cells, methods = {}, []
    for row in rows:
        method = row["Method"].strip("'")
        if method not in methods:
            methods.append(method)
        cells.setdefault(tuple(row[k] for k in keys), {})[method] = microseconds(row.get("Median") or row["Mean"])
    if baseline not in methods:
        sys.exit(f"{path}: no method named {baseline}")
    return cells, keys, methods


def cell_order(key):
    return tuple(int(v) if v.isdigit() else v for v in key)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", help="BenchmarkDotNet -report.csv exports (several: independent runs)")
    parser.add_argument("--baseline", default="cross_entropy", help="the method the others are divided by")
    parser.add_argument("--target", type=float, default=1.25, help="ratios above this are bold")
    args = parser.parse_args()
    runs = [read(path, args.baseline) for path in args.csv]
    keys, methods = runs[0][1], runs[0][2]
    others = [m for m in methods if m != args.baseline]
    heading = f"{args.baseline} (µs, median)" if len(runs) == 1 else f"{args.baseline} (µs, median of runs)"
    print("| " + " x ".join(keys) + f" | {heading} | " + " | ".join(others) + " |")
    print("|" + "---|" * (len(others) + 2))
    for key in sorted({k for cells, _, _ in runs for k in cells}, key=cell_order):
        bases = [cells[key][args.baseline] for cells, _, _ in runs if key in cells and cells[key].get(args.baseline)]
        entries = []
        for m in others:
            ratios = sorted(cells[key][m] / cells[key][args.baseline] for cells, _, _ in runs
                            if key in cells and cells[key].get(m) and cells[key].get(args.baseline))
            if not ratios:
                entries.append("")
                continue
            ratio = statistics.median(ratios)
            text = f"{ratio:.2f}" if len(ratios) == 1 else f"{ratio:.2f} ({ratios[0]:.2f}–{ratios[-1]:.2f})"
            entries.append(f"**{text}**" if ratio > args.target else text)
        base = f"{statistics.median(bases):.0f}" if bases else ""
        print("| " + " x ".join(key) + f" | {base} | " + " | ".join(entries) + " |")


if __name__ == "__main__":
    main()
