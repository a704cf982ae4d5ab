#!/usr/bin/env bash
# The ONNX route end to end, as CI runs it (about a minute): trains a small run on data/hpc_data.csv with holes
# punched in it (empty and NA cells in numeric and categorical columns, imputed), exports it with
# `earthmover export`, and scores the same rows, columns reversed, three ways: `earthmover predict` (TorchSharp),
# examples/onnx-scoring/OnnxRuntimeScoring (ONNX Runtime alone) and examples/onnx-scoring/MlNetScoring (ML.NET).
# Fails unless the three agree on every probability within 1e-5 and on every predicted class.
#
#   bash scripts/onnx-scoring/check.sh          # KEEP=1 keeps the temporary folder
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d "${TMPDIR:-/tmp}/earthmover-onnx-check.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "onnx-check: kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

dotnet build src/EarthMover.Cli -c Release -v q -nologo >/dev/null
dotnet build examples/onnx-scoring/OnnxRuntimeScoring -c Release -v q -nologo >/dev/null
dotnet build examples/onnx-scoring/MlNetScoring -c Release -v q -nologo >/dev/null
earthmover() { dotnet src/EarthMover.Cli/bin/Release/net10.0/EarthMover.Cli.dll "$@"; }

# hpc_data.csv (protocol,compounds,input_fields,iterations,num_pending,hour,day,class; no commas in cells) with
# missing values, and the same rows with the columns in reverse order.
awk -F, -v OFS=, 'NR > 1 { i = NR - 2; if (i % 7 == 3) $2 = ""; if (i % 9 == 4) $6 = "NA"; if (i % 11 == 5) $7 = "NA"; if (i % 13 == 6) $1 = "" } { print }' \
  data/hpc_data.csv > "$work/holes.csv"
awk -F, -v OFS=, '{ line = $NF; for (j = NF - 1; j >= 1; j--) line = line OFS $j; print line }' "$work/holes.csv" > "$work/reversed.csv"

earthmover train --data "$work/holes.csv" --target class --order VF,F,M,L --missing impute --epochs 3 -o "$work/run" -q >/dev/null
earthmover export "$work/run" --onnx "$work/hpc.onnx"
earthmover predict --run "$work/run" --data "$work/reversed.csv" -o "$work/torchsharp.csv" >/dev/null
dotnet examples/onnx-scoring/OnnxRuntimeScoring/bin/Release/net10.0/OnnxRuntimeScoring.dll "$work/hpc.onnx" "$work/reversed.csv" "$work/onnxruntime.csv"
dotnet examples/onnx-scoring/MlNetScoring/bin/Release/net10.0/MlNetScoring.dll "$work/hpc.onnx" "$work/reversed.csv" > "$work/mlnet.csv"

# Same header, same rows (predict writes CRLF line ends), same class, probabilities within 1e-5.
for other in onnxruntime mlnet; do
  awk -F, -v name="$other" '
    { sub(/\r$/, "") }
    FNR == NR { reference[FNR] = $0; rows = FNR; next }
    {
      n = split(reference[FNR], r, ",")
      if (n != NF) { printf "onnx-check: %s line %d has %d fields, TorchSharp %d\n", name, FNR, NF, n; bad = 1; exit 1 }
      if (FNR == 1 && $0 != reference[1]) { print "onnx-check: headers differ"; bad = 1; exit 1 }
      if (FNR > 1 && $2 != r[2]) { printf "onnx-check: %s row %s predicts %s, TorchSharp %s\n", name, $1, $2, r[2]; bad = 1 }
      for (k = 3; FNR > 1 && k <= NF; k++) { d = $k - r[k]; if (d < 0) d = -d; if (d > worst) worst = d }
      seen = FNR
    }
    END {
      if (bad) exit 1
      if (seen != rows) { printf "onnx-check: %s has %d lines, TorchSharp %d\n", name, seen, rows; exit 1 }
      if (worst > 1e-5) { printf "onnx-check: %s differs from TorchSharp by %g\n", name, worst; exit 1 }
      printf "onnx-check: %s: %d rows, same classes as TorchSharp, probabilities within %.1e\n", name, rows - 1, worst
    }' "$work/torchsharp.csv" "$work/$other.csv"
done
