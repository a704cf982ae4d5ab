#!/usr/bin/env bash
# earthmover train on a quiet machine and on a busy one, under the program's threading policy (libtorch's idle
# threads sleep: CpuThreading.UsePassiveWaiting) and under libtorch's default (they spin for a while:
# GOMP_SPINCOUNT=300000, what libgomp does when nothing is set). Busy: one CPU-bound process per core running
# alongside, or a second identical training started at the same time. Each setting runs REPEATS times; the
# table gives the median wall time and its ratio to the quiet median of the same policy and loss.
# Usage: bash benchmarks/contention.sh [REPEATS]   (writes benchmarks/results/contention-train.md)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
cores=$(nproc)
out=benchmarks/results/contention-train.md
dotnet build -c Release src/EarthMover.Cli -v quiet -nologo >/dev/null
cli=src/EarthMover.Cli/bin/Release/net10.0/EarthMover.Cli
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# One training; prints its wall time in seconds.
train() { # policy loss folder
  local start end
  start=$(date +%s.%N)
  if [ "$1" = spinning ]; then
    env -u OMP_WAIT_POLICY GOMP_SPINCOUNT=300000 "$cli" train --loss "$2" --epochs 4 -q -o "$3" >/dev/null
  else
    env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT "$cli" train --loss "$2" --epochs 4 -q -o "$3" >/dev/null
  fi
  end=$(date +%s.%N)
  rm -rf "$3"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

{
  echo "# earthmover train on a quiet and a busy machine"
  echo
  echo "\`bash benchmarks/contention.sh $repeats\` on $(date -u +%Y-%m-%d), $cores cores, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Each cell: median wall time of $repeats runs of \`earthmover train --loss LOSS --epochs 4 -q\` (embedded diamonds data),"
  echo "and its ratio to the quiet median of the same policy and loss. A fair share of a machine whose every core"
  echo "one other process wants is 2x."
  echo
  echo "| policy | loss | quiet | $cores busy loops | two trainings at once (first, second) |"
  echo "|---|---|---:|---:|---:|"
} > "$out.tmp"

for policy in passive spinning; do
  for loss in ce emd2; do
    quiet=(); busy=(); first=(); second=()
    for ((r = 0; r < repeats; r++)); do
      quiet+=("$(train $policy $loss "$work/q")")
      loops=()
      for ((c = 0; c < cores; c++)); do sh -c 'while :; do :; done' & loops+=($!); done
      busy+=("$(train $policy $loss "$work/b")")
      kill "${loops[@]}"; wait "${loops[@]}" 2>/dev/null || true
      train $policy $loss "$work/p1" > "$work/t1" &
      a=$!
      train $policy $loss "$work/p2" > "$work/t2" &
      b=$!
      wait $a $b
      first+=("$(cat "$work/t1")"); second+=("$(cat "$work/t2")")
    done
    q=$(printf '%s\n' "${quiet[@]}" | median)
    bz=$(printf '%s\n' "${busy[@]}" | median)
    f=$(printf '%s\n' "${first[@]}" | median)
    s=$(printf '%s\n' "${second[@]}" | median)
    awk -v p=$policy -v l=$loss -v q="$q" -v b="$bz" -v f="$f" -v s="$s" 'BEGIN {
      printf "| %s | %s | %.1f s | %.1f s (%.2fx) | %.1f s (%.2fx), %.1f s (%.2fx) |\n", p, l, q, b, b / q, f, f / q, s, s / q }' >> "$out.tmp"
    echo "$policy $loss: quiet ${quiet[*]}; busy ${busy[*]}; pairs ${first[*]} / ${second[*]}" >&2
  done
done
mv "$out.tmp" "$out"
cat "$out"
