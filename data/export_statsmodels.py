#!/usr/bin/python3
"""Writes the statsmodels datasets of data/ from Debian's python3-statsmodels, unchanged.

fair.csv is the packaged file itself; anes96.csv is the packaged tab-separated file as a CSV, its quoted
column names unquoted. Run from the repository root: /usr/bin/python3 data/export_statsmodels.py
"""
import pathlib
import shutil

import pandas
import statsmodels
from statsmodels.datasets import anes96, fair

target = pathlib.Path(__file__).resolve().parent
shutil.copyfile(pathlib.Path(fair.__file__).parent / "fair.csv", target / "fair.csv")
table = pandas.read_csv(pathlib.Path(anes96.__file__).parent / "anes96.csv", sep="\t")
table.columns = [c.strip("'") for c in table.columns]
table.to_csv(target / "anes96.csv", index=False)
print(f"statsmodels {statsmodels.__version__}: fair.csv, anes96.csv ({len(table)} rows)")
