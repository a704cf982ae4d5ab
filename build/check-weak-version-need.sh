#!/usr/bin/env bash
# Shows, with this machine's glibc, what build/TorchSharpNativeFix.targets relies on: a version need marked weak
# (VER_FLG_WEAK) is skipped when the defining library lacks the version, and satisfied as before when it has it.
#
# A toy library stands in for libLibTorchSharp.so: it needs version PROV_2 of libprov.so (as TorchSharp needs
# GLIBCXX_3.4.32 of libstdc++) for a function it never calls (as std::ios_base_library_init is never called).
# Two builds of libprov.so stand in for the two kinds of systems: "new" defines PROV_2 (GCC 13 and later),
# "old" does not (Debian 12). The patch is the build step's own task, run on the toy library.
#
#   bash build/check-weak-version-need.sh        (needs gcc and the .NET SDK; prints what the loader did and
#                                                exits 1 if any outcome differs from the expected one)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

cat > prov.c <<'EOF'
int f1(void) { return 1; }
int f2(void) { return 2; }
EOF
printf 'PROV_1 { global: f1; local: *; };\nPROV_2 { global: f2; } PROV_1;\n' > new.map
printf 'PROV_1 { global: f1; local: *; };\n' > old.map
mkdir new old toy
gcc -shared -fPIC -Wl,-soname,libprov.so -Wl,--version-script=new.map -o new/libprov.so prov.c
gcc -shared -fPIC -Wl,-soname,libprov.so -Wl,--version-script=old.map -o old/libprov.so prov.c

cat > toy.c <<'EOF'
int f1(void);
int f2(void);
int used(void) { return f1(); }
int never_called(void) { return f2(); }
EOF
gcc -shared -fPIC -Wl,-z,lazy -o toy/libLibTorchSharp.so toy.c -Lnew -lprov

cat > load.c <<'EOF'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  void *h = dlopen(argv[1], RTLD_LAZY);
  if (!h) { printf("refused: %s\n", dlerror()); return 1; }
  int (*used)(void) = (int (*)(void))dlsym(h, "used");
  printf("loaded, used() = %d", used());
  if (argc > 2) { int (*f)(void) = (int (*)(void))dlsym(h, "never_called"); printf(", f2() through PROV_2 = %d", f()); }
  printf("\n");
  return 0;
}
EOF
gcc -o load load.c -ldl

failures=0
run() { # $1: provider build, $2: expected start of the loader's answer; rest: loader arguments
  local provider="$1" expected="$2"; shift 2
  local answer
  answer="$(LD_LIBRARY_PATH="$work/$provider" ./load "$work/toy/libLibTorchSharp.so" "$@" 2>&1 || true)"
  echo "$answer"
  if [[ "$answer" != "$expected"* ]]; then echo "  UNEXPECTED: wanted '$expected...'"; failures=$((failures + 1)); fi
}
flags() { readelf -V -W toy/libLibTorchSharp.so | grep -E "Name: PROV_2" | sed 's/^ *//'; }

echo "== strong need ($(flags))"
echo -n "new libprov (has PROV_2):  "; run new "loaded, used() = 1, f2() through PROV_2 = 2" call
echo -n "old libprov (lacks PROV_2): "; run old "refused:"

cat > patch.proj <<EOF
<Project>
  <Import Project="$repo/build/TorchSharpNativeFix.targets" />
  <Target Name="Patch"><EarthMoverMarkGlibcxxNeedWeak Directory="$work/toy" Version="PROV_2" /></Target>
</Project>
EOF
dotnet msbuild patch.proj -t:Patch -nologo -v:q >/dev/null

echo "== weak need after the build step's patch ($(flags))"
echo -n "new libprov (has PROV_2):  "; run new "loaded, used() = 1, f2() through PROV_2 = 2" call
echo -n "old libprov (lacks PROV_2): "; run old "loaded, used() = 1"
echo "== what the loader checked (LD_DEBUG=versions)"
echo "new libprov:"; LD_DEBUG=versions LD_LIBRARY_PATH="$work/new" ./load "$work/toy/libLibTorchSharp.so" 2>&1 | grep -E "PROV_2" | sed 's/^ *[0-9]*: */  /'
echo "old libprov:"; LD_DEBUG=versions LD_LIBRARY_PATH="$work/old" ./load "$work/toy/libLibTorchSharp.so" 2>&1 | grep -E "PROV_2" | sed 's/^ *[0-9]*: */  /'
echo "== calling the function behind the missing version (never done by TorchSharp) fails only then:"
echo -n "old libprov: "; run old "./load: symbol lookup error" call
if (( failures > 0 )); then echo "$failures unexpected outcome(s)"; exit 1; fi
echo "as expected: a weak need is skipped only where the version is missing"
