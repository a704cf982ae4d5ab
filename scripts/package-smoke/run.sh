#!/usr/bin/env bash
# The packages as a .NET developer meets them: packs EarthMover and EarthMover.Training into a local feed, creates a
# fresh console app outside the repository (dotnet new console), adds both packages and TorchSharp-cpu by package,
# copies in examples/csharp/Program.cs (the README's C# example, which must be that file's text), builds and runs
# it: it trains on data/hpc_data.csv, saves the run, loads it with TrainedRun and predicts. Fails on any error, a
# non-zero exit (134 is the Debian 12 TorchSharp abort the packages' build step prevents) or missing output.
#
#   bash scripts/package-smoke/run.sh          # KEEP=1 keeps the temporary folder
#
# No hand step and no network beyond the configured NuGet source (TorchSharp-cpu comes from there, or from the
# NuGet cache). The packages get a version of their own for each run (0.1.0-smoke.<time>.<pid>), so that a
# package cached by an earlier run is never used; they are removed from the NuGet cache at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { echo "package-smoke: $*"; }
fail() { echo "package-smoke: FAILED: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/earthmover-package-smoke.XXXXXX")
case "$work/" in "$repo"/*) fail "the temporary folder $work is inside the repository";; esac
version="0.1.0-smoke.$(date +%Y%m%d%H%M%S).$$"
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
cleanup() {
  rm -rf "$cache/earthmover/$version" "$cache/earthmover.training/$version"
  rmdir "$cache/earthmover" "$cache/earthmover.training" 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
start=$(date +%s)

# The README's C# section is the example program.
readme_example=$(awk '/^<!-- examples\/csharp\/Program.cs -->$/ { marked = 1; next } marked && /^```csharp$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' README.md)
[ -n "$readme_example" ] || fail "README.md has no C# block after <!-- examples/csharp/Program.cs -->"
diff <(printf '%s\n' "$readme_example") examples/csharp/Program.cs >/dev/null \
  || fail "README.md's C# example differs from examples/csharp/Program.cs: $(diff <(printf '%s\n' "$readme_example") examples/csharp/Program.cs | head -5)"

log "packing EarthMover and EarthMover.Training $version"
feed=$work/feed
for project in src/EarthMover/EarthMover.csproj src/EarthMover.Training/EarthMover.Training.csproj; do
  dotnet pack "$project" -c Release -o "$feed" -p:PackageVersion="$version" -v quiet -nologo >"$work/pack.log" 2>&1 \
    || { cat "$work/pack.log"; fail "dotnet pack $project"; }
done
for package in EarthMover EarthMover.Training; do
  contents=$(unzip -l "$feed/$package.$version.nupkg")
  for file in README.md "lib/net10.0/$package.dll" "lib/net10.0/$package.xml" "buildTransitive/$package.targets"; do
    grep -q " $file\$" <<<"$contents" || fail "$package.$version.nupkg lacks $file"
  done
done
grep -q 'id="EarthMover" version="'"$version"'"' <(unzip -p "$feed/EarthMover.Training.$version.nupkg" EarthMover.Training.nuspec) \
  || fail "EarthMover.Training does not depend on EarthMover $version"

log "a fresh console app in $work/app"
torchsharp=$(sed -n 's/.*PackageVersion Include="TorchSharp-cpu" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
[ -n "$torchsharp" ] || fail "no TorchSharp-cpu version in Directory.Packages.props"
app=$work/app
dotnet new console -o "$app" --framework net10.0 >"$work/new.log" 2>&1 || { cat "$work/new.log"; fail "dotnet new console"; }
# The local feed beside the machine's configured sources.
cat >"$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="earthmover-smoke" value="$feed" />
  </packageSources>
</configuration>
XML
cd "$app"
for package in "EarthMover $version" "EarthMover.Training $version" "TorchSharp-cpu $torchsharp"; do
  set -- $package
  dotnet add package "$1" --version "$2" >"$work/add.log" 2>&1 || { cat "$work/add.log"; fail "dotnet add package $1 $2"; }
done
cp "$repo/examples/csharp/Program.cs" Program.cs

# Both packages bring the TorchSharp fix (buildTransitive/EarthMover.targets and EarthMover.Training.targets).
dotnet msbuild -preprocess:"$work/preprocessed.xml" >/dev/null
for targets in earthmover/$version/buildTransitive/EarthMover.targets earthmover.training/$version/buildTransitive/EarthMover.Training.targets; do
  grep -qi "$targets" "$work/preprocessed.xml" || fail "the app does not import $targets"
done

log "building and running it"
dotnet build -c Release >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "dotnet build"; }
grep -q "EarthMover: marked the GLIBCXX_3.4.32 version need weak" "$work/build.log" || { cat "$work/build.log"; fail "the build did not apply the TorchSharp fix"; }
grep -qE "[1-9][0-9]* Warning\(s\)" "$work/build.log" && { cat "$work/build.log"; fail "the app builds with warnings"; }
set +e
LC_ALL=C dotnet run -c Release --no-build -- "$repo/data/hpc_data.csv" "$work/runs/hpc" >"$work/run.log" 2>&1
status=$?
set -e
cat "$work/run.log"
[ "$status" = 0 ] || fail "the app exited with $status"
grep -q "^hpc_data (class): 4331 rows, classes VF < F < M < L$" "$work/run.log" || fail "no data line"
[ "$(grep -c '^epoch [1-5]: train loss' "$work/run.log")" = 5 ] || fail "not five epoch lines"
grep -qE "^best epoch [1-5]: test accuracy 0\.[0-9]{3}, MAE [0-9.]+, QWK -?[0-9.]+$" "$work/run.log" || fail "no test metrics line"
grep -qE "^predicted (VF|F|M|L): VF 0\.[0-9]{3}, F 0\.[0-9]{3}, M 0\.[0-9]{3}, L 0\.[0-9]{3}$" "$work/run.log" || fail "no prediction line"
for file in model.bin checkpoint.bin schema.json; do
  [ -f "$work/runs/hpc/$file" ] || fail "the run folder lacks $file"
done
log "passed in $(( $(date +%s) - start )) s"
