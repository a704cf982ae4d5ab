#!/usr/bin/env bash
# The Slurm test, on a real single-node cluster started from Debian's packages (scripts/slurm/cluster.sh):
#
#   part 1, the cluster and the examples: job arrays see their task index, a failed task fails
#           `sbatch --wait`, and examples/slurm (submit.sh, compare.sbatch, collect.sbatch) plan, run, rerun
#           and collect correctly, driven by a stand-in program (stand-in-earthmover.sh);
#   part 2, the program: a small comparison run as a job array (examples/slurm/submit.sh --wait) and
#           collected gives the same compare.md/.json/.csv as an in-process `compare` (wall times excluded).
#
#   sudo scripts/slurm/test.sh          # EARTHMOVER=<published program> skips the publish step
#
# As root (it installs packages and starts daemons). Skips with exit 0 only where Slurm is not installed and
# apt-get is unavailable. Daemons it starts are stopped at the end, also on failure or interruption; daemons
# already running are used and left running. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=$repo/artifacts/slurm-test
cluster=$repo/scripts/slurm/cluster.sh
examples=$repo/examples/slurm
stand_in=$repo/scripts/slurm/stand-in-earthmover.sh
# Every job of this test carries this name (it overrides the scripts' #SBATCH --job-name), so that the
# cleanup cancels exactly these.
export SBATCH_JOB_NAME=earthmover-slurm-test
# Small jobs: this machine may be shared.
export SBATCH_ARGS="--cpus-per-task=1 --mem=1G --time=00:15:00"
export CONCURRENT=2

log() { echo "slurm-test: $*"; }
fail() { echo "slurm-test: FAILED: $*" >&2; exit 1; }
step_start=$SECONDS
step() { log "--- $* ($((SECONDS - step_start)) s so far)"; }

if [ "$(id -u)" != 0 ]; then
  fail "run it as root (it installs slurm-wlm and munge and starts their daemons)"
fi
if ! command -v sbatch >/dev/null && ! command -v apt-get >/dev/null; then
  log "SKIP: Slurm is not installed and apt-get is unavailable; nothing tested."
  exit 0
fi

started=0
passed="parts 1 and 2"
cleanup() {
  local status=$?
  if bash "$cluster" status >/dev/null 2>&1 && [ -n "$(squeue -h --name="$SBATCH_JOB_NAME" 2>/dev/null)" ]; then
    log "cancelling this test's jobs"
    scancel --name="$SBATCH_JOB_NAME" || true
    for _ in $(seq 30); do
      [ -z "$(squeue -h --name="$SBATCH_JOB_NAME" 2>/dev/null)" ] && break
      sleep 1
    done
  fi
  if [ "$started" = 1 ]; then
    bash "$cluster" stop || true
  fi
  if [ "$status" = 0 ]; then log "PASSED: $passed ($((SECONDS - step_start)) s)"; else log "exit code $status"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

step "cluster"
if bash "$cluster" status >/dev/null 2>&1; then
  log "a cluster is already running: using it, and leaving it running"
else
  started=1
  status=0
  bash "$cluster" start || status=$?
  if [ "$status" = 77 ]; then
    log "SKIP: Slurm could not be installed (no apt-get); nothing tested."
    exit 0
  fi
  [ "$status" = 0 ] || fail "the cluster did not start (exit code $status)"
fi

rm -rf "$work/part1"
mkdir -p "$work/part1"

step "part 1: a job array sees SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT"
raw=$work/part1/raw
mkdir -p "$raw"
cat > "$raw/task.sh" <<'EOF'
#!/usr/bin/env bash
echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT" > "$1/task-$SLURM_ARRAY_TASK_ID.txt"
EOF
# shellcheck disable=SC2086 # SBATCH_ARGS is a list of options
sbatch --wait --array=0-3 $SBATCH_ARGS --output="$raw/%a.out" "$raw/task.sh" "$raw" >/dev/null
for k in 0 1 2 3; do
  [ "$(cat "$raw/task-$k.txt" 2>/dev/null)" = "$k 4" ] || fail "array task $k did not write '$k 4' to $raw/task-$k.txt"
done

step "part 1: sbatch --wait fails when a task fails"
status=0
# shellcheck disable=SC2086,SC2016 # the task's shell expands it
sbatch --wait --array=0-1 $SBATCH_ARGS --output="$raw/exit-%a.out" --wrap 'exit $((SLURM_ARRAY_TASK_ID * 3))' >/dev/null || status=$?
[ "$status" = 3 ] || fail "sbatch --wait returned $status for an array whose task 1 exited with 3"

step "part 1: examples/slurm with a stand-in program: plan, array, a failed task, collect lists it"
run=$work/part1/run
status=0
STAND_IN_FAIL_JOB=1 EARTHMOVER=$stand_in bash "$examples/submit.sh" --wait "$run" --rows 2000 --losses ce,emd2 --seeds 1,2 || status=$?
[ "$status" != 0 ] || fail "submit.sh --wait succeeded although training 1 failed"
for k in 0 2 3; do
  [ -s "$run/jobs/$k.json" ] || fail "training $k left no $run/jobs/$k.json"
done
[ ! -e "$run/jobs/1.json" ] || fail "the failed training 1 left a result"
grep -q "missing: job 1" "$run/logs/collect.out" || fail "the collect step did not list the missing training 1 ($run/logs/collect.out)"
[ ! -e "$run/compare.md" ] || fail "the collect step wrote tables from an incomplete plan"
grep -q '"omp_num_threads":"1"' "$run/jobs/0.json" || fail "OMP_NUM_THREADS was not the task's --cpus-per-task (1): $(cat "$run/jobs/0.json")"
[ -s "$run/logs/0.out" ] || fail "no task log $run/logs/0.out"

step "part 1: resubmitting the whole array reruns only the failed training; collect then succeeds"
before=$(stat -c %Y.%i "$run/jobs/0.json")
# shellcheck disable=SC2086
EARTHMOVER=$stand_in sbatch --wait --array=0-3 $SBATCH_ARGS --output="$run/logs/%a.out" --open-mode=append "$examples/compare.sbatch" "$stand_in" "$run" >/dev/null
[ "$(stat -c %Y.%i "$run/jobs/0.json")" = "$before" ] || fail "the finished training 0 was run again"
[ -s "$run/jobs/1.json" ] || fail "the rerun of training 1 left no result"
grep -q "already finished, skipped" "$run/logs/0.out" || fail "task 0's log does not say it was skipped"
# shellcheck disable=SC2086
sbatch --wait $SBATCH_ARGS --output="$run/logs/collect.out" --open-mode=append "$examples/collect.sbatch" "$stand_in" "$run" >/dev/null \
  || fail "the collect step failed on a complete plan"
[ -s "$run/compare.md" ] || fail "the collect step wrote no compare.md"

step "part 1: submit.sh without --wait: the collect job starts after the array (afterany dependency)"
run=$work/part1/queued
line=$(EARTHMOVER=$stand_in bash "$examples/submit.sh" "$run" --losses ce,emd2,xemd1 --seeds 1 | tail -n 1)
jobs=$(echo "$line" | sed -n 's/.*array job \([0-9]*\), then collect job \([0-9]*\).*/\1,\2/p')
[ -n "$jobs" ] || fail "submit.sh did not report its two jobs: $line"
for _ in $(seq 120); do
  [ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ] || fail "jobs $jobs still queued after 120 s"
grep -qs "3 of 3 jobs" "$run/compare.md" || fail "the dependent collect job wrote no complete $run/compare.md"

# ---------------------------------------------------------------------------------------------------------
# Part 2: the real program: `compare --plan`, `--run-folder F --job auto` and `--collect F` on the cluster.
# ---------------------------------------------------------------------------------------------------------
step "part 2: the program"
if [ -n "${EARTHMOVER:-}" ]; then
  program=$EARTHMOVER
else
  # As docs/cluster.md publishes it: self-contained, so that compute nodes need no .NET installation.
  nice dotnet publish src/EarthMover.Cli -c Release -r linux-x64 --self-contained -o "$work/earthmover" -v quiet -nologo
  program=$work/earthmover/EarthMover.Cli
fi
if ! command -v jq >/dev/null; then
  # same-comparison.sh reads compare.json with it.
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq jq >/dev/null
fi

# shellcheck disable=SC2054 # commas inside option values
options=(--data diamonds --rows 2000 --epochs 2 --losses ce,emd2 --seeds 1,2)
# The same thread count in both runs: libtorch's parallel reductions may round differently with another.
export OMP_NUM_THREADS=1
rm -rf "$work/in-process" "$work/cluster"

step "part 2: in-process compare"
"$program" compare "${options[@]}" -o "$work/in-process" --quiet

step "part 2: the same comparison as a job array (examples/slurm/submit.sh --wait), collected"
EARTHMOVER=$program bash "$examples/submit.sh" --wait "$work/cluster" "${options[@]}" \
  || fail "the comparison on Slurm failed; logs in $work/cluster/logs"

step "part 2: the collected files against the in-process ones"
bash "$repo/scripts/slurm/same-comparison.sh" "$work/in-process" "$work/cluster" \
  || fail "the comparison collected from Slurm differs from the in-process one"
log "part 2: the collected comparison equals the in-process one"
