#!/bin/sh
# Model selection on a real dataset: the old default monitor (validation MAE) against the new one (validation
# RPS), on hpc_data (4,331 compute jobs, run time in 4 ordered classes VF < F < M < L; see
# tests/EarthMover.Tests/data/NOTICE.md for its source). Run from the repository root after a Release build,
# with DATA naming the folder that holds hpc_data.csv. Writes each run's metrics.json, history.csv and
# report.md beside this script.
set -e
: "${DATA:?set DATA to the folder that holds hpc_data.csv}"
here=docs/model-selection
mkdir -p runs/model-selection
ln -sf "$(cd "$DATA" && pwd)/hpc_data.csv" runs/model-selection/hpc_data.csv
for seed in 1 5; do
  for monitor in mae rps; do
    run=runs/model-selection/hpc-s$seed-$monitor
    dotnet run --project src/EarthMover.Cli -c Release --no-build -- train --data runs/model-selection/hpc_data.csv \
      --target class --order VF,F,M,L --rows 800 --seed "$seed" --monitor "$monitor" -o "$run" --force -q
    mkdir -p "$here/hpc-s$seed-$monitor"
    cp "$run/metrics.json" "$run/history.csv" "$run/report.md" "$here/hpc-s$seed-$monitor/"
  done
done
