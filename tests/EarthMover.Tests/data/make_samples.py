#!/usr/bin/python3
"""Writes the 400-row test samples here from the repository's data/ files: the header and 400 lines drawn
without replacement (numpy default_rng(7)), byte for byte and in their original order.

    /usr/bin/python3 tests/EarthMover.Tests/data/make_samples.py
"""
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE.parents[2] / "data"

for name in ["hpc_data.csv", "stackoverflow.csv", "attrition.csv", "fair.csv"]:
    lines = (DATA / name).read_bytes().splitlines(keepends=True)
    chosen = np.sort(np.random.default_rng(7).choice(len(lines) - 1, 400, replace=False)) + 1
    (HERE / name).write_bytes(lines[0] + b"".join(lines[i] for i in chosen))
    print(f"{name}: 400 of {len(lines) - 1} rows")
