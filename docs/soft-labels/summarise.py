"""Per-seed and mean test metrics of the comparisons in docs/soft-labels/ (standard library only).

Usage: python3 docs/soft-labels/summarise.py > docs/soft-labels/summary.md
"""
import csv
import pathlib
import statistics

HERE = pathlib.Path(__file__).parent
RUNS = [
    ("rotation-hard", "class labels"),
    ("rotation-hard-emd", "class labels"),
    ("rotation-gaussian1", "gaussian:1"),
    ("orderless-tree", "class labels"),
]
METRICS = [("exact_accuracy", "exact acc."), ("mae", "MAE"), ("qwk", "QWK"), ("mean_emd", "mean EMD")]

print("| comparison | targets | loss | seed | " + " | ".join(m[1] for m in METRICS) + " | best epoch | seconds |")
print("|---|---|---|---|" + "---:|" * (len(METRICS) + 2))
for folder, targets in RUNS:
    with open(HERE / folder / "compare.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for loss in dict.fromkeys(r["loss"] for r in rows):
        mine = [r for r in rows if r["loss"] == loss]
        short = loss.split(" (")[0]
        for r in mine:
            cells = [f"{float(r[m]):.4f}" for m, _ in METRICS]
            print(f"| {folder} | {targets} | {short} | {r['round'].split()[-1]} | " + " | ".join(cells) + f" | {r['best_epoch']}/{r['epochs_run']} | {float(r['seconds']):.0f} |")
        means = [f"**{statistics.mean(float(r[m]) for r in mine):.4f}**" for m, _ in METRICS]
        print(f"| {folder} | {targets} | {short} | mean | " + " | ".join(means) + " | | |")
