#!/usr/bin/env bash
# Where the time of squared_emd_loss and cross_entropy goes at B = 256 x C, by perf's sampling profiler, with
# the .NET environment given on the command line (e.g. DOTNET_EnableAVX=0). Writes the report's top lines to
# stdout. Needs perf (Debian: apt-get install linux-perf) and permission to use it (root, or
# kernel.perf_event_paranoid <= 1).
#   bash benchmarks/profile.sh 1000 DOTNET_EnableAVX=0 > benchmarks/results/profile-avx0-256x1000.txt
set -euo pipefail
classes=${1:?usage: profile.sh CLASSES [VAR=VALUE ...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
dotnet build -c Release "$root/benchmarks/EarthMover.Benchmarks" -v q -nologo > /dev/null
exe="$root/benchmarks/EarthMover.Benchmarks/bin/Release/net10.0/EarthMover.Benchmarks"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
# perf map: names for JIT-compiled code; W^X off: otherwise that code runs from an anonymous double mapping perf cannot name.
env "$@" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
    perf record -F 2000 -o "$data/perf.data" "$exe" --profile-loop "$classes" 3000 2> "$data/record.log"
echo "# bash benchmarks/profile.sh $classes $*  ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
echo "# 3000 calls each of cross_entropy and squared_emd_loss, forward + backward, B = 256, C = $classes, float32;"
echo "# share of all samples of the process (both losses, setup and runtime included), entries from 0.5 %"
perf report -i "$data/perf.data" --no-children --sort dso,symbol --percent-limit 0.5 2> /dev/null \
    | grep -v '^#' | grep '%' | sed -E 's/ +/ /g; s/\(valuetype [^)]*\)//g; s/\[System[^]]*\]//g' | sed -E 's/ - - *$//' | cut -c1-160
