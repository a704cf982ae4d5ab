#!/usr/bin/env python3
"""Chooses each loss's learning rate and weight decay for the evidence suite v3 from the tuning suite's raw rows.

Usage: python3 docs/evidence/tune.py runs/tune-1/raw.csv[,runs/tune-2/raw.csv ...]

The tuning suite (suite-v3-tuning.json) trains every loss at 3 learning rates x 2 weight decays on 3 tuning seeds.
Rule (plan.md, declared before the tuning ran): per loss and dataset, the mean over the tuning seeds of the
validation score (raw.csv's validation_score: the monitored validation Brier score of the best epoch; the test
columns are never read); each setting's rank among the loss's 6 settings on each dataset; the setting with the
lowest mean rank over the 13 pooled datasets, ties to the smaller learning rate, then the smaller weight decay.
Prints the chosen learningRate and weightDecay per loss, to be copied into suite-v3.json (and logged in plan.md).
Standard library only.
"""
import csv
import statistics
import sys
from collections import defaultdict

CONTROL = "Fashion-MNIST: clothing class (no order)"


def main(paths):
    scores = defaultdict(list)  # (loss, setting, dataset) -> validation scores
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["dataset"] == CONTROL:
                    continue
                loss, setting = row["loss"].rsplit(" | ", 1)
                if not row.get("validation_score"):
                    sys.exit(f"{path}: {row['dataset']}, {row['loss']}, seed {row['seed']}: no validation_score")
                scores[(loss, setting, row["dataset"])].append(float(row["validation_score"]))
    losses = sorted({k[0] for k in scores})
    datasets = sorted({k[2] for k in scores})
    for loss in losses:
        settings = sorted({k[1] for k in scores if k[0] == loss}, key=lambda s: (float(s.split()[1]), float(s.split()[3])))
        ranks = defaultdict(list)
        for dataset in datasets:
            means = {s: statistics.fmean(scores[(loss, s, dataset)]) for s in settings}
            for r, s in enumerate(sorted(settings, key=lambda s: means[s]), start=1):
                ranks[s].append(r)
        best = min(settings, key=lambda s: statistics.fmean(ranks[s]))
        lr, wd = best.split()[1], best.split()[3]
        print(f"{loss}: learningRate {lr}, weightDecay {wd} (mean rank {statistics.fmean(ranks[best]):.2f} of {len(settings)} over {len(datasets)} datasets)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1].split(","))
