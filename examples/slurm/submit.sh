#!/usr/bin/env bash
# Runs an earthmover comparison on Slurm: writes the plan, submits one array task per training
# (compare.sbatch), and the collect step (collect.sbatch) to run once every task has ended.
#
#   examples/slurm/submit.sh [--wait] RUN_FOLDER [compare options...]
#
#   examples/slurm/submit.sh /shared/runs/color --target color --losses ce,emd2,xemd1 --seeds 1,2,3,4,5
#
# RUN_FOLDER must be on a file system every compute node sees: it holds the plan, each training's result
# (jobs/<index>.json), the task logs (logs/<index>.out) and, at the end, compare.md/.json/.csv/.png.
# Without --wait the script returns after submitting (watch with squeue --me); with --wait it returns when
# the collect step has ended, with its exit status.
#
# Settings, from the environment:
#   EARTHMOVER   the published program (default: $HOME/earthmover/EarthMover.Cli; see docs/cluster.md)
#   CONCURRENT   at most this many trainings run at once, the %N of --array (default 8): be fair to others
#   SBATCH_ARGS  more sbatch options for both jobs, e.g. "--partition=cpu --account=myproject --mem=4G";
#                they override the #SBATCH lines of compare.sbatch and collect.sbatch
set -euo pipefail

wait=
if [ "${1:-}" = --wait ]; then
  wait=--wait
  shift
fi
if [ $# -lt 1 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
program=${EARTHMOVER:-$HOME/earthmover/EarthMover.Cli}
concurrent=${CONCURRENT:-8}
read -r -a extra <<< "${SBATCH_ARGS:-}"
# Absolute, so that the jobs find it whatever their working directory.
run=$(realpath -m "$1")
shift

# 1. The plan: every training of the comparison (losses x seeds or folds), written to $run/plan.json. The
#    program prints the count last, as "trainings: N".
plan=$("$program" compare "$@" --plan -o "$run")
printf '%s\n' "$plan"
n=$(printf '%s\n' "$plan" | tail -n 1 | sed -n 's/^trainings: \([0-9][0-9]*\)$/\1/p')
if [ -z "$n" ] || [ "$n" -lt 1 ]; then
  echo "submit.sh: the plan did not end with 'trainings: N'" >&2
  exit 1
fi

# Slurm does not create the folder of --output: without it every task would fail before starting.
mkdir -p "$run/logs"

# 2. Tasks 0..N-1, at most $concurrent at a time; each task's log is logs/<index>.out (appended on reruns).
array_options=(--array="0-$((n - 1))%$concurrent" --output="$run/logs/%a.out" --open-mode=append "${extra[@]}")
collect_options=(--output="$run/logs/collect.out" --open-mode=append "${extra[@]}")
if [ -n "$wait" ]; then
  # sbatch --wait returns when every task has ended, with the highest exit code of the tasks.
  status=0
  sbatch --wait "${array_options[@]}" "$here/compare.sbatch" "$program" "$run" || status=$?
  if [ "$status" != 0 ]; then
    echo "submit.sh: some trainings failed (highest exit code $status; see $run/logs); collecting lists them" >&2
  fi
  # 3. The tables (or the list of what to rerun), with the collect step's exit status.
  sbatch --wait "${collect_options[@]}" "$here/collect.sbatch" "$program" "$run"
  echo "submit.sh: $n trainings in $run; the collect step's log: $run/logs/collect.out"
else
  array=$(sbatch --parsable "${array_options[@]}" "$here/compare.sbatch" "$program" "$run")
  array=${array%%;*}
  # 3. The tables once every task has ended, also after failures (afterany), so that collect lists what
  #    to rerun.
  collect=$(sbatch --parsable --dependency="afterany:$array" "${collect_options[@]}" "$here/collect.sbatch" "$program" "$run")
  collect=${collect%%;*}
  echo "submit.sh: $n trainings in $run: array job $array, then collect job $collect (logs in $run/logs)"
fi
