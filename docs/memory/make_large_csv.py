"""A 50 MB CSV for the memory measurement of `earthmover predict` in README.md.

The embedded diamonds table (src/EarthMover.Training/Data/Embedded/diamonds.csv.gz, 53,940 rows) repeated until
the file passes 50 MB, without its target column `cut` (unlabelled, as new rows are) and with the columns in
another order. Writes diamonds_50mb.csv to the folder given (default: here).

    /usr/bin/python3 docs/memory/make_large_csv.py /tmp
"""
import csv
import gzip
import io
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
with gzip.open(root / "src/EarthMover.Training/Data/Embedded/diamonds.csv.gz", "rt", encoding="utf-8") as f:
    table = list(csv.DictReader(f))
columns = ["price", "clarity", "color", "carat", "depth", "table", "x", "y", "z"]
block = io.StringIO()
writer = csv.writer(block, lineterminator="\n")
for row in table:
    writer.writerow([row[c] for c in columns])
block = block.getvalue()

out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent) / "diamonds_50mb.csv"
with open(out, "w") as f:
    f.write(",".join(columns) + "\n")
    size = 0
    copies = 0
    while size < 50_000_000:
        f.write(block)
        size += len(block)
        copies += 1
print(out, f"{copies * len(table):,} rows, {out.stat().st_size / 1e6:.1f} MB")
