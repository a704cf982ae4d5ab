#!/bin/sh
# Model selection on a real dataset: the old default monitor (validation MAE) against the new one (validation
# RPS), on hpc_data (4,331 compute jobs, run time in 4 ordered classes VF < F < M < L; see
# data/README.md for its source). Run from the repository root after a Release build (DATA, default data/,
# names the folder that holds hpc_data.csv). Writes each run's metrics.json, history.csv,
# report.md and plots beside this script.
set -e
DATA=${DATA:-data}
here=docs/model-selection
root=$(pwd)
for seed in 1 5; do
  for monitor in mae rps; do
    run=runs/model-selection/hpc-s$seed-$monitor
    dotnet run --project src/EarthMover.Cli -c Release --no-build -- train --data "$DATA/hpc_data.csv" \
      --target class --order VF,F,M,L --rows 800 --seed "$seed" --monitor "$monitor" -o "$run" --force -q
    mkdir -p "$here/hpc-s$seed-$monitor"
    cp "$run/history.csv" "$run/report.md" "$run/learning_curves.png" "$run/confusion.png" "$here/hpc-s$seed-$monitor/"
    # The run records its data's absolute path; the committed copy names it from the repository root.
    sed "s|$root/||" "$run/metrics.json" > "$here/hpc-s$seed-$monitor/metrics.json"
  done
done
