#!/usr/bin/env bash
# A stand-in for the earthmover program that implements only the plan / run one / collect contract of
# `compare`, in shell, with no training: test.sh runs the Slurm examples with it, so that the cluster side
# (array size, task index, logs, dependencies, reruns) is checked independently of the program.
#
#   compare <options> --plan -o F       F/plan.json with (losses x seeds) trainings; last line "trainings: N"
#   compare --run-folder F --job K|auto [--force]
#                                       F/jobs/K.json, atomically; a finished job is skipped unless --force;
#                                       auto: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
#   compare --collect F [--partial]     F/compare.md; lists missing jobs and fails unless --partial
#
# STAND_IN_FAIL_JOB=K makes job K fail (exit 3), to test how failures surface.
set -euo pipefail

die() { echo "stand-in: $*" >&2; exit 2; }
count() { local -a items; IFS=, read -r -a items <<< "$1"; echo "${#items[@]}"; }

[ "${1:-}" = compare ] || die "only 'compare' is implemented"
shift
plan=0 output='' run='' job='' collect='' partial=0 force=0 losses=ce,emd2 seeds=1,2,3
while [ $# -gt 0 ]; do
  case "$1" in
    --plan) plan=1 ;;
    -o|--output) output=$2; shift ;;
    --run-folder) run=$2; shift ;;
    --job) job=$2; shift ;;
    --collect) collect=$2; shift ;;
    --partial) partial=1 ;;
    --force) force=1 ;;
    --losses) losses=$2; shift ;;
    --seeds) seeds=$2; shift ;;
    --*) case "${2:-}" in --*|'') ;; *) shift ;; esac ;; # other compare options: accepted, unused
    *) die "unexpected argument '$1'" ;;
  esac
  shift
done

if [ "$plan" = 1 ]; then
  [ -n "$output" ] || die "--plan needs -o"
  n=$(( $(count "$losses") * $(count "$seeds") ))
  mkdir -p "$output/jobs"
  printf '{"program":"stand-in","trainings":%d}\n' "$n" > "$output/plan.json.tmp"
  mv "$output/plan.json.tmp" "$output/plan.json"
  echo "plan: $output/plan.json"
  echo "trainings: $n"
elif [ -n "$run" ]; then
  [ -r "$run/plan.json" ] || die "no plan in $run"
  n=$(sed -n 's/.*"trainings":\([0-9]*\).*/\1/p' "$run/plan.json")
  if [ "$job" = auto ]; then
    job=${SLURM_ARRAY_TASK_ID:-${JOB_COMPLETION_INDEX:-}}
    [ -n "$job" ] || die "--job auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set"
  fi
  if ! [[ "$job" =~ ^[0-9]+$ ]] || [ "$job" -ge "$n" ]; then
    die "--job $job: the plan has jobs 0..$((n - 1))"
  fi
  result="$run/jobs/$job.json"
  if [ -e "$result" ] && [ "$force" = 0 ]; then
    echo "job $job: already finished, skipped"
    exit 0
  fi
  if [ "${STAND_IN_FAIL_JOB:-}" = "$job" ]; then
    echo "job $job: failing on purpose (STAND_IN_FAIL_JOB)" >&2
    exit 3
  fi
  printf '{"job":%d,"omp_num_threads":"%s","slurm_cpus_per_task":"%s","array_task":"%s","host":"%s"}\n' \
    "$job" "${OMP_NUM_THREADS:-}" "${SLURM_CPUS_PER_TASK:-}" "${SLURM_ARRAY_TASK_ID:-}" "$(hostname -s)" > "$result.tmp.$$"
  mv "$result.tmp.$$" "$result"
  echo "job $job: done"
elif [ -n "$collect" ]; then
  [ -r "$collect/plan.json" ] || die "no plan in $collect"
  n=$(sed -n 's/.*"trainings":\([0-9]*\).*/\1/p' "$collect/plan.json")
  missing=()
  for ((k = 0; k < n; k++)); do
    [ -e "$collect/jobs/$k.json" ] || missing+=("$k")
  done
  for k in "${missing[@]}"; do
    echo "missing: job $k; rerun: earthmover compare --run-folder $collect --job $k" >&2
  done
  if [ "${#missing[@]}" -gt 0 ] && [ "$partial" = 0 ]; then
    echo "${#missing[@]} of $n jobs missing; no tables written (--partial writes them anyway)" >&2
    exit 1
  fi
  echo "# stand-in comparison: $((n - ${#missing[@]})) of $n jobs" > "$collect/compare.md.tmp"
  mv "$collect/compare.md.tmp" "$collect/compare.md"
  echo "written: $collect/compare.md"
else
  die "give --plan, --run-folder or --collect"
fi
