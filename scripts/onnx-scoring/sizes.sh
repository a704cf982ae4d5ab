#!/usr/bin/env bash
# The size of what a service that scores rows has to ship, by route: `dotnet publish -c Release -r linux-x64`,
# framework-dependent and self-contained, of the two ONNX examples (no libtorch) and of the earthmover program
# (TorchSharp with libtorch, the route without export). Prints a Markdown table of MiB (du of the publish folder).
#
#   bash scripts/onnx-scoring/sizes.sh          # a few minutes; KEEP=1 keeps the publish folders
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d "${TMPDIR:-/tmp}/earthmover-onnx-sizes.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT

size() { du -sm "$1" | cut -f1; }
echo "| route | project | framework-dependent (MiB) | self-contained (MiB) |"
echo "|---|---|---:|---:|"
for entry in "ONNX Runtime alone:examples/onnx-scoring/OnnxRuntimeScoring" \
             "ML.NET (ApplyOnnxModel):examples/onnx-scoring/MlNetScoring" \
             "TorchSharp + libtorch (the earthmover program):src/EarthMover.Cli"; do
  route=${entry%%:*}; project=${entry#*:}; name=$(basename "$project")
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "$work/$name-fd" -v q -nologo >/dev/null
  dotnet publish "$project" -c Release -r linux-x64 --self-contained true -o "$work/$name-sc" -v q -nologo >/dev/null
  echo "| $route | $project | $(size "$work/$name-fd") | $(size "$work/$name-sc") |"
  rm -rf "$work/$name-fd" "$work/$name-sc"
done
