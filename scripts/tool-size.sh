#!/usr/bin/env bash
# The size of the earthmover program as a user gets it: the .NET tool package (dotnet pack), the tool once
# installed (dotnet tool install --tool-path), and a self-contained published app (dotnet publish -r RID
# --self-contained). Prints one line per figure, in MB (10^6 bytes), and the largest files of the installed tool.
#
#   scripts/tool-size.sh [work folder]      # default: a new temporary folder
#
# Extra MSBuild properties for every step can be passed in EXTRA, e.g. EXTRA=-p:PublishReadyToRun=true.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
rid=${RID:-linux-x64}
mkdir -p "$work"
# Packages of earlier measurements must not be found instead of these.
rm -rf "$work/nupkg" "$work/tool" "$work/publish" "$work/home"
mb() { du -sb "$1" | awk '{ printf "%.0f", $1 / 1e6 }'; }
sum() { find "$1" -name '*.nupkg' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / 1e6 }'; }

dotnet pack "$root/src/EarthMover.Cli" -c Release -o "$work/nupkg" ${EXTRA:-} >"$work/pack.log"
echo "tool packages (.nupkg, all): $(sum "$work/nupkg") MB ($(cd "$work/nupkg" && ls *.nupkg | tr '\n' ' '))"
for f in "$work"/nupkg/*.nupkg; do echo "  $(basename "$f"): $(mb "$f") MB"; done
# A separate NuGet cache, so that installing reads only what the packages carry.
export NUGET_PACKAGES="$work/home/packages"
dotnet tool install --tool-path "$work/tool" --add-source "$work/nupkg" EarthMover.Cli >"$work/install.log"
echo "installed tool (--tool-path, package store included): $(mb "$work/tool") MB"
unset NUGET_PACKAGES
"$work/tool/earthmover" --version >/dev/null && echo "installed tool runs: earthmover --version ok"
dotnet publish "$root/src/EarthMover.Cli" -c Release -r "$rid" --self-contained -o "$work/publish" ${EXTRA:-} >"$work/publish.log"
echo "self-contained publish ($rid): $(mb "$work/publish") MB"
"$work/publish/EarthMover.Cli" --version >/dev/null && echo "published app runs: --version ok"
echo "largest files of the installed tool:"
find "$work/tool" -type f -printf '%s %P\n' | sort -rn | head -8 | awk '{ printf "  %6.1f MB  %s\n", $1 / 1e6, $2 }'
