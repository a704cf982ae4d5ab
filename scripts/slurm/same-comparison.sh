#!/usr/bin/env bash
# Whether two `earthmover compare` output folders hold the same comparison: compare.md and compare.png
# byte for byte, compare.json and compare.csv except the wall times (results[].seconds, the 'seconds'
# column). test.sh uses it to check a comparison collected from Slurm against an in-process one.
#
#   scripts/slurm/same-comparison.sh FOLDER_A FOLDER_B     # exit 0: the same; 1: not (the differences on stderr)
#
# Needs jq.
set -euo pipefail

[ $# = 2 ] || { echo "usage: $0 FOLDER_A FOLDER_B" >&2; exit 2; }
a=$1
b=$2
differ() { echo "same-comparison: $*" >&2; exit 1; }

for f in compare.md compare.json compare.csv compare.png; do
  [ -s "$a/$f" ] || differ "$a has no $f"
  [ -s "$b/$f" ] || differ "$b has no $f"
done
cmp -s "$a/compare.md" "$b/compare.md" || { diff "$a/compare.md" "$b/compare.md" >&2 || true; differ "compare.md differs"; }
cmp -s "$a/compare.png" "$b/compare.png" || differ "compare.png differs"

# compare.json: everything but the wall times, results in a fixed order.
normalize_json() { jq -e -S '.results |= (map(del(.seconds)) | sort_by(.loss, .round))' "$1"; }
# compare.csv: every column but 'seconds' (CsvHelper ends lines with CR LF).
drop_seconds() {
  tr -d '\r' < "$1" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "seconds") s = i; if (!s) exit 1 }
    { out = ""; for (i = 1; i <= NF; i++) if (i != s) out = out (out == "" ? "" : ",") $i; print out }'
}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for side in a b; do
  folder=${!side}
  normalize_json "$folder/compare.json" > "$scratch/$side.json" || differ "$folder/compare.json has no results list"
  drop_seconds "$folder/compare.csv" > "$scratch/$side.csv" || differ "$folder/compare.csv has no 'seconds' column"
done
[ "$(jq '.results | length' "$scratch/a.json")" -gt 0 ] || differ "$a/compare.json holds no results"
diff "$scratch/a.json" "$scratch/b.json" >&2 || differ "compare.json differs (beyond wall times)"
diff "$scratch/a.csv" "$scratch/b.csv" >&2 || differ "compare.csv differs (beyond wall times)"
echo "same-comparison: $a and $b hold the same comparison ($(jq '.results | length' "$scratch/a.json") results)"
